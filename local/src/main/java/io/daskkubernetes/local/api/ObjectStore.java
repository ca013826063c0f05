package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The object storage of the API server: fabric8's CRUD mock dispatcher (etcd plus the generic REST
 * handlers), behind one lock so that our own read-modify-write steps (allocate a cluster IP, then
 * create) are atomic, so that the whole store can be scanned safely, and so that watches see the
 * changes in the order of their resourceVersions.
 */
public final class ObjectStore {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final ReentrantLock lock = new ReentrantLock();
    private final Watches watches;
    private final KubernetesCrudDispatcher crud;

    public ObjectStore() {
        this(WatchHistory.DEFAULT_CHANGES_PER_TYPE);
    }

    /**
     * @param watchHistoryPerType how many recent changes of each resource type watches can resume
     *     from
     */
    ObjectStore(int watchHistoryPerType) {
        watches = new Watches(new WatchHistory(watchHistoryPerType));
        crud = new ChangeRecordingCrudDispatcher(watches::publish);
        // Lists answer the store's current resourceVersion; an empty store's would be 0, which a
        // watch reads
        // as "from now" rather than "after this list".
        crud.requestResourceVersion();
    }

    /** Answers a client's request with the generic REST semantics of the mock; watches are ours. */
    public MockResponse handle(RecordedRequest request) {
        ApiPath path = ApiPath.parse(request.getPath());
        if (request.method() == HttpMethod.GET && path.isResource() && path.isWatch()) {
            return watch(request.getPath(), RequestOptions.of(path));
        }
        return atomically(() -> crud.dispatch(request));
    }

    /**
     * The mock's own watches start from now whatever resourceVersion they are given and lose the
     * events of the moment before their WebSocket opens; ours resume from the resourceVersion (see
     * {@link Watches}).
     */
    MockResponse watch(String requestPath, RequestOptions options) {
        WatchRequest request;
        try {
            request = WatchRequest.parse(requestPath, crud.getAttributeExtractor(), options);
        } catch (IllegalArgumentException e) {
            return ApiResponses.badRequest(e.getMessage());
        }
        return new MockResponse()
                .withWebSocketUpgrade(
                        new WatchSubscription(request, this::startWatch, watches::stop));
    }

    private void startWatch(WatchSubscription watch) {
        atomically(
                () -> {
                    watches.start(watch, () -> currentObjects(watch.request()));
                    return null;
                });
    }

    private List<String> currentObjects(WatchRequest request) {
        List<String> objects = new ArrayList<>();
        crud.getMap()
                .forEach(
                        (attributes, json) -> {
                            if (attributes.matches(request.selector()) && request.selects(json)) {
                                objects.add(json);
                            }
                        });
        return objects;
    }

    /** Runs several store operations with no other request in between. */
    public <T> T atomically(Supplier<T> operation) {
        lock.lock();
        try {
            return operation.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code writes} as a dry run: they are validated and answered as usual, then undone
     * before anyone else can see them; watches hear nothing.
     */
    public <T> T dryRun(Supplier<T> writes) {
        return atomically(() -> ((ChangeRecordingCrudDispatcher) crud).dryRun(writes));
    }

    /** True while a dry run is under way (its writes will be undone). */
    boolean inDryRun() {
        return ((ChangeRecordingCrudDispatcher) crud).inDryRun();
    }

    public Optional<String> getJson(String objectPath) {
        MockResponse response = handle(request(HttpMethod.GET, objectPath, null, null));
        if (response.code() != 200 || response.getBody() == null) {
            return Optional.empty();
        }
        return Optional.of(response.getBody().readUtf8());
    }

    public <T> Optional<T> get(String objectPath, Class<T> type) {
        return getJson(objectPath).map(json -> Serialization.unmarshal(json, type));
    }

    /**
     * Lists a collection path, for our own reads. The mock's selectors ignore set-based
     * requirements: client lists go through {@link CollectionRequests}, never through this.
     */
    public <T> List<T> list(String collectionPath, Class<T> type) {
        MockResponse response = handle(request(HttpMethod.GET, collectionPath, null, null));
        List<T> items = new ArrayList<>();
        if (response.code() != 200 || response.getBody() == null) {
            return items;
        }
        JsonNode list = Serialization.unmarshal(response.getBody().readUtf8(), JsonNode.class);
        list.path("items")
                .forEach(item -> items.add(Serialization.jsonMapper().convertValue(item, type)));
        return items;
    }

    public MockResponse create(String collectionPath, String json) {
        return handle(request(HttpMethod.POST, collectionPath, "application/json", json));
    }

    public MockResponse mergePatch(String objectPath, String patchJson) {
        return handle(request(HttpMethod.PATCH, objectPath, MERGE_PATCH, patchJson));
    }

    /**
     * Stores a new version of an existing object without the mock's update handlers, which delete
     * any object that has a deletionTimestamp and no finalizers: a terminating pod must stay until
     * its kubelet is done. Watchers get MODIFIED as usual.
     *
     * @return the stored JSON (with a new resourceVersion), or empty when the object is gone
     */
    public Optional<String> replaceInPlace(String objectPath, JsonNode object) {
        return atomically(
                () -> {
                    AttributeSet pathAttributes = crud.getAttributeExtractor().fromPath(objectPath);
                    Map.Entry<AttributeSet, String> existing = crud.findResource(pathAttributes);
                    if (existing == null) {
                        return Optional.empty();
                    }
                    ((com.fasterxml.jackson.databind.node.ObjectNode) object.get("metadata"))
                            .put("resourceVersion", String.valueOf(crud.requestResourceVersion()));
                    String json = Serialization.asJson(object);
                    GenericKubernetesResource resource =
                            Serialization.unmarshal(json, GenericKubernetesResource.class);
                    crud.processEvent(
                            objectPath, pathAttributes, existing.getKey(), resource, json);
                    return Optional.of(json);
                });
    }

    public MockResponse delete(String path) {
        return handle(request(HttpMethod.DELETE, path, null, null));
    }

    /**
     * An object as stored, with the plural resource name its path used (needed to address it
     * again).
     */
    public record StoredObject(String plural, GenericKubernetesResource object) {

        public String path() {
            return ApiPath.objectPath(
                    object.getApiVersion(),
                    plural,
                    object.getMetadata().getNamespace(),
                    object.getMetadata().getName());
        }
    }

    /**
     * Every stored object; used by the garbage collector, which must see all kinds, custom ones
     * too.
     */
    public List<StoredObject> all() {
        return atomically(
                () -> {
                    List<StoredObject> objects = new ArrayList<>();
                    for (Map.Entry<AttributeSet, String> entry : crud.getMap().entrySet()) {
                        Attribute plural = entry.getKey().getAttribute("plural");
                        if (plural == null || plural.getValues().isEmpty()) {
                            continue;
                        }
                        GenericKubernetesResource object =
                                Serialization.unmarshal(
                                        entry.getValue(), GenericKubernetesResource.class);
                        objects.add(new StoredObject(plural.getValues().get(0).toString(), object));
                    }
                    return objects;
                });
    }

    static RecordedRequest request(
            HttpMethod method, String path, String contentType, String body) {
        Headers.Builder headers = Headers.builder();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return new RecordedRequest("HTTP/1.1", method, path, headers.build(), new Buffer(bytes));
    }
}
