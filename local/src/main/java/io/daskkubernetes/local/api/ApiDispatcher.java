package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request pipeline of the API server: discovery, pod logs, graceful pod deletion and the
 * admission of pods and Services are ours; everything else is the generic CRUD of the {@link
 * ObjectStore}.
 */
public final class ApiDispatcher extends Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);
    private static final String JSON_PATCH = "application/json-patch+json";

    private final ObjectStore store;
    private final Discovery discovery;
    private final PodLogEndpoint podLogs;
    private final PodDeletion podDeletion;
    private final PodAdmission podAdmission = new PodAdmission();
    private final ServiceAdmission serviceAdmission;
    private final GeneratedNames generatedNames = new GeneratedNames();
    private final TerminatingPodWrites terminatingPods;
    private final CustomResourceScale customResourceScale;
    private final CustomResourceColumns customResourceColumns;

    public ApiDispatcher(
            ObjectStore store,
            Discovery discovery,
            PodLogEndpoint podLogs,
            PodDeletion podDeletion,
            ServiceAdmission serviceAdmission) {
        this.store = store;
        this.discovery = discovery;
        this.podLogs = podLogs;
        this.podDeletion = podDeletion;
        this.serviceAdmission = serviceAdmission;
        this.terminatingPods = new TerminatingPodWrites(store);
        this.customResourceScale = new CustomResourceScale(store);
        this.customResourceColumns = new CustomResourceColumns(store);
    }

    private volatile Runnable deletionListener = () -> {};

    void onDeletion(Runnable listener) {
        this.deletionListener = listener;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            MockResponse response = route(request);
            if (request.method() == HttpMethod.DELETE && ApiResponses.isSuccess(response)) {
                deletionListener.run();
            }
            return response;
        } catch (AdmissionException e) {
            return ApiResponses.status(422, "Invalid", e.getMessage());
        } catch (LogRequestException e) {
            return ApiResponses.status(e.code(), "BadRequest", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.getMethod(), request.getPath(), e);
            return ApiResponses.status(500, "InternalError", e.toString());
        }
    }

    private MockResponse route(RecordedRequest request) {
        ApiPath path = ApiPath.parse(request.getPath());
        String method = request.getMethod().toUpperCase();
        if (Discovery.handles(path) && method.equals("GET")) {
            return discovery.answer(path);
        }
        if (PodLogRequest.matches(path) && method.equals("GET")) {
            return podLogs.answer(PodLogRequest.from(path));
        }
        if (CustomResourceScale.matches(path)) {
            return customResourceScale.answer(path, method, body(request));
        }
        if (path.isCoreResource("pods") && path.subresource() == null && method.equals("DELETE")) {
            return podDeletion.delete(path, body(request));
        }
        if (method.equals("POST") && path.isResource() && path.name() == null) {
            return create(path, request);
        }
        if (method.equals("PUT")
                && path.isCoreResource("services")
                && path.name() != null
                && path.subresource() == null) {
            return replaceService(path, request);
        }
        if (method.equals("PUT") && path.isCoreResource("pods") && path.name() != null) {
            return replacePod(path, request);
        }
        if (method.equals("PATCH") && path.isResource() && path.name() != null) {
            return patch(path, request);
        }
        if (method.equals("GET")
                && path.isResource()
                && path.subresource() == null
                && !path.isWatch()
                && TableView.wanted(request.getHeader("Accept"))) {
            MockResponse answer = store.handle(request);
            if (answer.code() != 200 || answer.getBody() == null) {
                return answer;
            }
            String body = answer.getBody().readUtf8();
            return ApiResponses.json(
                    200,
                    customResourceColumns
                            .of(path)
                            .map(columns -> TableView.convert(body, columns))
                            .orElseGet(() -> TableView.convert(path.resource(), body)));
        }
        return store.handle(request);
    }

    private MockResponse create(ApiPath path, RecordedRequest request) {
        String body = body(request);
        JsonNode parsed = Serialization.unmarshal(body, JsonNode.class);
        if (!(parsed instanceof ObjectNode object)) {
            return ApiResponses.badRequest("the request body must be a JSON object");
        }
        return store.atomically(
                () -> {
                    generatedNames.apply(
                            object,
                            name -> store.getJson(path.collectionPath() + "/" + name).isPresent());
                    if (path.isCoreResource("pods")) {
                        Pod pod =
                                podAdmission.admit(
                                        Serialization.jsonMapper().convertValue(object, Pod.class));
                        return store.create(path.collectionPath(), Serialization.asJson(pod));
                    }
                    if (path.isCoreResource("services")) {
                        List<Service> existing = store.list("/api/v1/services", Service.class);
                        Service service =
                                serviceAdmission.admitCreate(
                                        Serialization.jsonMapper()
                                                .convertValue(object, Service.class),
                                        existing);
                        return store.create(path.collectionPath(), Serialization.asJson(service));
                    }
                    return store.create(path.collectionPath(), Serialization.asJson(object));
                });
    }

    private MockResponse replaceService(ApiPath path, RecordedRequest request) {
        Service service = Serialization.unmarshal(body(request), Service.class);
        return store.atomically(
                () -> {
                    var stored = store.get(path.objectPath(), Service.class);
                    if (stored.isEmpty()) {
                        return ApiResponses.notFound("services", path.name());
                    }
                    Service admitted = serviceAdmission.admitUpdate(service, stored.get());
                    return store.handle(
                            ObjectStore.request(
                                    request.method(),
                                    request.getPath(),
                                    "application/json",
                                    Serialization.asJson(admitted)));
                });
    }

    /**
     * PATCH, done right where the mock is wrong: a JSON merge patch replaces arrays and removes
     * null keys (RFC 7386), so we compute the result ourselves and hand the mock the equivalent
     * JSON patch. kubectl's strategic merge patches (415 in the mock) are treated as merge patches:
     * right for labels, annotations, scalars and whole lists; list merging by key and the {@code
     * $patch} directives are not supported.
     */
    private MockResponse patch(ApiPath path, RecordedRequest request) {
        String contentType =
                Optional.ofNullable(request.getHeader("Content-Type")).orElse(JSON_PATCH);
        boolean merge =
                contentType.startsWith("application/merge-patch+json")
                        || contentType.startsWith("application/strategic-merge-patch+json");
        if (!merge && !contentType.startsWith(JSON_PATCH)) {
            return ApiResponses.status(
                    415,
                    "UnsupportedMediaType",
                    "the local runtime does not support "
                            + contentType
                            + " (server-side apply); use a JSON merge patch, a JSON patch or an update instead");
        }
        JsonNode patchBody = Serialization.unmarshal(body(request), JsonNode.class);
        return store.atomically(
                () -> {
                    Optional<String> current = store.getJson(path.objectPath());
                    if (current.isEmpty()) {
                        return ApiResponses.notFound(path.resource(), path.name());
                    }
                    JsonNode stored = Serialization.unmarshal(current.get(), JsonNode.class);
                    JsonNode patched;
                    try {
                        patched =
                                merge
                                        ? JsonMergePatch.apply(stored, withoutDirectives(patchBody))
                                        : JsonPatch.apply(patchBody, stored);
                    } catch (JsonPatchException e) {
                        return ApiResponses.status(
                                422, "Invalid", "the JSON patch does not apply: " + e.getMessage());
                    }
                    if (path.isCoreResource("pods") && TerminatingPodWrites.isTerminating(stored)) {
                        return terminatingPods.store(path, stored, patched);
                    }
                    if (!merge) {
                        return store.handle(request);
                    }
                    JsonNode equivalent = JsonDiff.asJson(stored, patched);
                    return store.handle(
                            ObjectStore.request(
                                    HttpMethod.PATCH,
                                    request.getPath(),
                                    JSON_PATCH,
                                    Serialization.asJson(equivalent)));
                });
    }

    private MockResponse replacePod(ApiPath path, RecordedRequest request) {
        JsonNode replacement = Serialization.unmarshal(body(request), JsonNode.class);
        return store.atomically(
                () -> {
                    Optional<String> current = store.getJson(path.objectPath());
                    if (current.isPresent()) {
                        JsonNode stored = Serialization.unmarshal(current.get(), JsonNode.class);
                        if (TerminatingPodWrites.isTerminating(stored)) {
                            return terminatingPods.store(path, stored, replacement);
                        }
                    }
                    return store.handle(request);
                });
    }

    private static JsonNode withoutDirectives(JsonNode node) {
        JsonNode copy = node.deepCopy();
        removeDirectives(copy);
        return copy;
    }

    private static void removeDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> directives = new java.util.ArrayList<>();
            object.fieldNames()
                    .forEachRemaining(
                            name -> {
                                if (name.startsWith("$")) {
                                    directives.add(name);
                                }
                            });
            object.remove(directives);
            object.forEach(ApiDispatcher::removeDirectives);
        }
    }

    private static String body(RecordedRequest request) {
        if (request.getBody() == null || request.getBody().size() == 0) {
            return "";
        }
        return new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }
}
