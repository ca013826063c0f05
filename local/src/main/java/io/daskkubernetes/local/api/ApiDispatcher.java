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
    private final ServedPaths servedPaths;
    private final CollectionRequests collections;
    private final DeletionPropagation propagation;
    private final OpenApiEndpoint openApi;
    private final FieldValidation fieldValidation = new FieldValidation();
    private final ScaleSubresource scale;
    private final CustomResourceColumns customResourceColumns;
    private final CustomResourceValidation customResources;

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
        this.servedPaths = new ServedPaths(discovery);
        this.collections = new CollectionRequests(store);
        this.propagation = new DeletionPropagation(store);
        this.openApi = new OpenApiEndpoint(discovery);
        this.scale = new ScaleSubresource(store, discovery);
        this.customResourceColumns = new CustomResourceColumns(store);
        this.customResources = new CustomResourceValidation(store);
    }

    private volatile Runnable deletionListener = () -> {};

    void onDeletion(Runnable listener) {
        this.deletionListener = listener;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            ApiPath path = parsePath(request.getPath());
            String method = request.getMethod().toUpperCase(java.util.Locale.ROOT);
            Optional<MockResponse> answered = servedPaths.check(path, method);
            if (answered.isPresent()) {
                return answered.get();
            }
            if (!path.isResource()) {
                return route(request, path, method, null, null);
            }
            RequestOptions options = RequestOptions.of(path);
            DeleteOptions deleteOptions =
                    method.equals("DELETE")
                            ? DeleteOptions.of(path, options, RequestBodies.jsonText(request))
                            : null;
            RecordedRequest checked =
                    customResources.admitWrite(checkBody(request, path, method), path, method);
            List<String> warnings = validateFields(checked, path, method);
            boolean dryRun = options.dryRun() || (deleteOptions != null && deleteOptions.dryRun());
            MockResponse response =
                    dryRun
                            ? store.dryRun(
                                    () -> route(checked, path, method, options, deleteOptions))
                            : route(checked, path, method, options, deleteOptions);
            response = StoreAnswers.conflict(response, path, method);
            response = StoreAnswers.notFoundStatus(response, path);
            for (String warning : warnings) {
                response.addHeader("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\"");
            }
            if (!method.equals("GET") && ApiResponses.isSuccess(response) && !dryRun) {
                // A write may have removed the last dependent of an owner in foreground deletion
                // (a DELETE, or a patch removing a dependent's last finalizer).
                propagation.finishForegroundDeletions();
                if (method.equals("DELETE")) {
                    deletionListener.run();
                }
            }
            return response;
        } catch (ApiException e) {
            return e.toResponse();
        } catch (CustomResourceValidation.Rejected e) {
            return e.response();
        } catch (AdmissionException e) {
            return ApiResponses.status(422, "Invalid", e.getMessage());
        } catch (LogRequestException e) {
            return ApiResponses.status(e.code(), "BadRequest", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.getMethod(), request.getPath(), e);
            return ApiResponses.status(500, "InternalError", e.toString());
        }
    }

    private static ApiPath parsePath(String requestPath) {
        try {
            return ApiPath.parse(requestPath);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the request path is not a valid URI: " + e.getMessage());
        }
    }

    /**
     * Reads the body of a write before anything is done: 415 for formats we do not read, 400 for
     * malformed JSON; objects to create or replace get apiVersion, kind and namespace from the URL,
     * and their namespace must exist.
     */
    private RecordedRequest checkBody(RecordedRequest request, ApiPath path, String method) {
        if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
            return request;
        }
        RequestBodies.requireReadableContentType(request);
        if (method.equals("PATCH")) {
            return request;
        }
        Discovery.Resource resource =
                discovery
                        .find(path.group(), path.version(), path.resource())
                        .orElseThrow(() -> ApiException.notFound("no resource " + path.resource()));
        RecordedRequest completed = RequestBodies.completedObject(request, path, resource);
        if (method.equals("POST") && path.namespace() != null) {
            String namespacePath = ApiPath.objectPath("v1", "namespaces", null, path.namespace());
            if (store.getJson(namespacePath).isEmpty()) {
                throw ApiException.notFound("namespaces \"" + path.namespace() + "\" not found");
            }
        }
        return completed;
    }

    /** fieldValidation=Strict|Warn on writes of built-in kinds (merge patches included). */
    private List<String> validateFields(RecordedRequest request, ApiPath path, String method) {
        String directive = path.query().get("fieldValidation");
        if (directive == null
                || !(method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
            return List.of();
        }
        String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("");
        if (method.equals("PATCH") && contentType.startsWith(JSON_PATCH)) {
            return List.of();
        }
        Optional<Discovery.Resource> resource =
                discovery.find(path.group(), path.version(), path.resource());
        if (resource.isEmpty() || path.subresource() != null) {
            return List.of();
        }
        return fieldValidation.check(
                directive, resource.get(), RequestBodies.parseJson(body(request)));
    }

    private MockResponse route(
            RecordedRequest request,
            ApiPath path,
            String method,
            RequestOptions options,
            DeleteOptions deleteOptions) {
        if (Discovery.handles(path) && method.equals("GET")) {
            return discovery.answer(path);
        }
        if (OpenApiEndpoint.handles(path)) {
            return openApi.answer(request.getPath());
        }
        if (!path.isResource()) {
            throw ApiException.notFound("the server could not find the requested resource");
        }
        if (PodLogRequest.matches(path) && method.equals("GET")) {
            return podLogs.answer(PodLogRequest.from(path));
        }
        if (ScaleSubresource.matches(path)) {
            return scale.answer(path, method, body(request));
        }
        Discovery.Resource resource =
                discovery
                        .find(path.group(), path.version(), path.resource())
                        .orElseThrow(
                                () ->
                                        ApiException.notFound(
                                                "the server could not find the requested resource"));
        if (method.equals("DELETE") && path.subresource() == null) {
            if (path.name() == null) {
                return collections.delete(
                        path,
                        options,
                        resource,
                        objectPath -> deleteOne(ApiPath.parse(objectPath), deleteOptions));
            }
            return deleteOne(path, deleteOptions);
        }
        if (AccessReviews.matches(path, method)) {
            return AccessReviews.answer(RequestBodies.parseJson(body(request)));
        }
        if (SubjectRulesReviews.matches(path, method)) {
            return SubjectRulesReviews.answer(RequestBodies.parseJson(body(request)));
        }
        if (method.equals("POST") && path.name() == null) {
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
        if (method.equals("PATCH") && path.name() != null) {
            return patch(path, request);
        }
        if (method.equals("GET") && path.name() == null && !path.isWatch()) {
            MockResponse list = collections.list(path, options, resource);
            if (TableView.wanted(request.getHeader("Accept"))) {
                return ApiResponses.json(200, table(path, list.getBody().readUtf8()));
            }
            return list;
        }
        if (method.equals("GET")
                && path.subresource() == null
                && !path.isWatch()
                && TableView.wanted(request.getHeader("Accept"))) {
            MockResponse answer = store.handle(request);
            if (answer.code() != 200 || answer.getBody() == null) {
                return StoreAnswers.notFoundStatus(answer, path);
            }
            return ApiResponses.json(200, table(path, answer.getBody().readUtf8()));
        }
        if (method.equals("GET") && path.isWatch()) {
            return store.watch(request.getPath(), options);
        }
        return StoreAnswers.notFoundStatus(store.handle(request), path);
    }

    /** kubectl's server-side table: a custom resource's printer columns, else the built-in ones. */
    private String table(ApiPath path, String body) {
        return customResourceColumns
                .of(path)
                .map(columns -> TableView.convert(body, columns))
                .orElseGet(() -> TableView.convert(path.resource(), body));
    }

    /** DELETE of one object, with its propagation policy; pods terminate gracefully. */
    private MockResponse deleteOne(ApiPath path, DeleteOptions options) {
        return store.atomically(
                () -> {
                    Optional<String> current = store.getJson(path.objectPath());
                    if (current.isEmpty()) {
                        return ApiResponses.notFound(path.resource(), path.name());
                    }
                    JsonNode stored = Serialization.unmarshal(current.get(), JsonNode.class);
                    String uid = stored.path("metadata").path("uid").asText("");
                    String policy = options.propagationPolicy().orElse("Background");
                    if (policy.equals("Orphan")) {
                        propagation.orphanDependentsOf(uid);
                    } else if (policy.equals("Foreground")
                            && !path.isCoreResource("pods")
                            && !propagation.dependentsOf(uid).isEmpty()) {
                        return propagation.foreground(
                                path.objectPath(),
                                stored,
                                dependent ->
                                        deleteOne(
                                                ApiPath.parse(dependent),
                                                new DeleteOptions(
                                                        false,
                                                        Optional.of("Foreground"),
                                                        Optional.empty())));
                    }
                    if (path.isCoreResource("pods")) {
                        return podDeletion.delete(path, options.gracePeriodSeconds());
                    }
                    return StoreAnswers.notFoundStatus(store.delete(path.objectPath()), path);
                });
    }

    private MockResponse create(ApiPath path, RecordedRequest request) {
        ObjectNode object = (ObjectNode) RequestBodies.parseJson(body(request));
        return store.atomically(
                () -> {
                    generatedNames.apply(
                            object,
                            name -> store.getJson(path.collectionPath() + "/" + name).isPresent());
                    if (path.isCoreResource("pods")) {
                        Pod pod = podAdmission.admit(typed(object, Pod.class));
                        return store.create(path.collectionPath(), Serialization.asJson(pod));
                    }
                    if (path.isCoreResource("services")) {
                        List<Service> existing = store.list("/api/v1/services", Service.class);
                        Service service =
                                serviceAdmission.admitCreate(
                                        typed(object, Service.class), existing);
                        return store.create(path.collectionPath(), Serialization.asJson(service));
                    }
                    if (CrdEstablishment.matches(path)) {
                        CrdEstablishment.establish(object);
                    }
                    return store.create(path.collectionPath(), Serialization.asJson(object));
                });
    }

    /** The typed object, or 400 naming what does not fit (a string where a list goes...). */
    private static <T> T typed(JsonNode object, Class<T> type) {
        try {
            return Serialization.jsonMapper().convertValue(object, type);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "the body is not a valid "
                            + type.getSimpleName()
                            + ": "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private MockResponse replaceService(ApiPath path, RecordedRequest request) {
        Service service = typed(RequestBodies.parseJson(body(request)), Service.class);
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
     * PATCH, done right where the mock is wrong: we compute the patched object ourselves (JSON
     * merge patch per RFC 7386, strategic merge patch with the patch-merge keys of the core types,
     * JSON patch) and hand the mock the equivalent JSON patch. Server-side apply is 415.
     */
    private MockResponse patch(ApiPath path, RecordedRequest request) {
        String contentType =
                Optional.ofNullable(request.getHeader("Content-Type")).orElse(JSON_PATCH);
        boolean strategic = contentType.startsWith("application/strategic-merge-patch+json");
        boolean merge = contentType.startsWith("application/merge-patch+json");
        if (!merge && !strategic && !contentType.startsWith(JSON_PATCH)) {
            return ApiResponses.status(
                    415,
                    "UnsupportedMediaType",
                    "the local runtime does not support "
                            + contentType
                            + " (server-side apply); use a strategic merge patch, a JSON merge"
                            + " patch, a JSON patch or an update instead");
        }
        JsonNode patchBody = RequestBodies.parseJson(body(request));
        if ((merge || strategic) && !patchBody.isObject()) {
            throw ApiException.badRequest("a merge patch must be a JSON object");
        }
        if (!merge && !strategic) {
            checkJsonPatch(patchBody);
        }
        return store.atomically(
                () -> {
                    Optional<String> current = store.getJson(path.objectPath());
                    if (current.isEmpty()) {
                        return ApiResponses.notFound(path.resource(), path.name());
                    }
                    JsonNode stored = Serialization.unmarshal(current.get(), JsonNode.class);
                    JsonNode patched;
                    try {
                        if (strategic) {
                            patched = StrategicMergePatch.apply(stored, patchBody);
                        } else if (merge) {
                            patched = JsonMergePatch.apply(stored, patchBody);
                        } else {
                            // RFC 6902: removing what is not there is an error.
                            patched =
                                    JsonPatch.apply(
                                            patchBody,
                                            stored,
                                            java.util.EnumSet.of(
                                                    io.fabric8.zjsonpatch.CompatibilityFlags
                                                            .FORBID_REMOVE_MISSING_OBJECT));
                        }
                    } catch (JsonPatchException | IllegalArgumentException e) {
                        return ApiResponses.status(
                                422, "Invalid", "the patch does not apply: " + e.getMessage());
                    }
                    if (!(patched instanceof ObjectNode)) {
                        throw ApiException.invalid(
                                "the patched " + path.resource() + " is not a JSON object");
                    }
                    if (path.isCoreResource("pods")) {
                        patched =
                                PodUpdates.apply(
                                        stored, patched, "status".equals(path.subresource()));
                        if (TerminatingPodWrites.isTerminating(stored)) {
                            return terminatingPods.store(path, stored, patched);
                        }
                    }
                    keepIdentity(stored, (ObjectNode) patched);
                    customResources.admitPatched(path, patched);
                    JsonNode equivalent = JsonDiff.asJson(stored, patched);
                    MockResponse answer =
                            store.handle(
                                    ObjectStore.request(
                                            HttpMethod.PATCH,
                                            request.getPath(),
                                            JSON_PATCH,
                                            Serialization.asJson(equivalent)));
                    // The mock says 202 Accepted; kube-apiserver says 200 with the object.
                    return answer.code() == 202 ? answer.setResponseCode(200) : answer;
                });
    }

    private static final java.util.Set<String> JSON_PATCH_OPERATIONS =
            java.util.Set.of("add", "remove", "replace", "move", "copy", "test");

    /** An RFC 6902 patch: an array of operations, each with a known op and a path. */
    private static void checkJsonPatch(JsonNode patch) {
        if (!patch.isArray()) {
            throw ApiException.badRequest("a JSON patch must be a JSON array of operations");
        }
        for (int i = 0; i < patch.size(); i++) {
            JsonNode operation = patch.get(i);
            String op = operation.path("op").asText("");
            if (!operation.isObject()
                    || !JSON_PATCH_OPERATIONS.contains(op)
                    || !operation.path("path").isTextual()) {
                throw ApiException.invalid(
                        "the JSON patch does not apply: operation "
                                + i
                                + " needs an op (add, remove, replace, move, copy or test) and a"
                                + " path, got "
                                + operation);
            }
        }
    }

    /** A patch cannot rename or move an object, nor change what kind it is. */
    private static void keepIdentity(JsonNode stored, ObjectNode patched) {
        for (String field : List.of("apiVersion", "kind")) {
            if (stored.has(field)) {
                patched.set(field, stored.get(field));
            }
        }
        ObjectNode metadata = patched.with("metadata");
        for (String field : List.of("name", "namespace", "uid", "creationTimestamp")) {
            if (stored.path("metadata").has(field)) {
                metadata.set(field, stored.path("metadata").get(field));
            }
        }
    }

    private MockResponse replacePod(ApiPath path, RecordedRequest request) {
        JsonNode replacement = RequestBodies.parseJson(body(request));
        return store.atomically(
                () -> {
                    Optional<String> current = store.getJson(path.objectPath());
                    if (current.isEmpty()) {
                        return ApiResponses.notFound("pods", path.name());
                    }
                    JsonNode stored = Serialization.unmarshal(current.get(), JsonNode.class);
                    ObjectNode updated =
                            PodUpdates.apply(
                                    stored, replacement, "status".equals(path.subresource()));
                    if (TerminatingPodWrites.isTerminating(stored)) {
                        return terminatingPods.store(path, stored, updated);
                    }
                    return store.handle(
                            RequestBodies.withBody(request, Serialization.asJson(updated)));
                });
    }

    private static String body(RecordedRequest request) {
        if (request.getBody() == null || request.getBody().size() == 0) {
            return "";
        }
        return new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }
}
