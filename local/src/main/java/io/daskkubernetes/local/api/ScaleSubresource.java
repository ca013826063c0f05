package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The scale subresource ({@code kubectl scale}, HorizontalPodAutoscalers): GET answers an
 * autoscaling/v1 Scale made from the object; PUT and PATCH (merge) set its spec.replicas. Served
 * for Deployments, ReplicaSets, StatefulSets and custom resources whose definition declares it.
 */
final class ScaleSubresource {

    private final ObjectStore store;
    private final Discovery discovery;

    ScaleSubresource(ObjectStore store, Discovery discovery) {
        this.store = store;
        this.discovery = discovery;
    }

    static boolean matches(ApiPath path) {
        return path.isResource() && path.name() != null && "scale".equals(path.subresource());
    }

    /** JSON pointers to spec replicas, status replicas and the selector, when scalable. */
    private Optional<List<String>> paths(ApiPath path) {
        if (path.group().equals("apps")
                && List.of("deployments", "replicasets", "statefulsets")
                        .contains(path.resource())) {
            return Optional.of(List.of("/spec/replicas", "/status/replicas", "/spec/selector"));
        }
        return discovery
                .customScalePaths(path.group(), path.version(), path.resource())
                .map(p -> p.stream().map(ScaleSubresource::pointer).collect(Collectors.toList()));
    }

    /** ".spec.replicas" to "/spec/replicas"; null stays null. */
    private static String pointer(String jsonPath) {
        return jsonPath == null ? null : jsonPath.replaceFirst("^\\.", "/").replace('.', '/');
    }

    MockResponse answer(ApiPath path, String method, String body) {
        Optional<List<String>> paths = paths(path);
        if (paths.isEmpty()) {
            return ApiResponses.notFound(path.resource() + "/scale", path.name());
        }
        return store.atomically(
                () -> {
                    Optional<String> current = store.getJson(path.objectPath());
                    if (current.isEmpty()) {
                        return ApiResponses.notFound(path.resource(), path.name());
                    }
                    JsonNode object = Serialization.unmarshal(current.get(), JsonNode.class);
                    if (method.equals("GET")) {
                        return ApiResponses.json(200, scale(object, paths.get()));
                    }
                    Integer replicas;
                    JsonNode request = Serialization.unmarshal(body, JsonNode.class);
                    if (method.equals("PATCH")) {
                        JsonNode patched =
                                JsonMergePatch.apply(scale(object, paths.get()), request);
                        replicas = intOrNull(patched.at("/spec/replicas"));
                    } else if (method.equals("PUT")) {
                        replicas = intOrNull(request.at("/spec/replicas"));
                    } else {
                        return ApiResponses.status(
                                405, "MethodNotAllowed", method + " is not allowed on scale");
                    }
                    if (replicas == null || replicas < 0) {
                        return ApiResponses.status(
                                422, "Invalid", "spec.replicas: must be a non-negative integer");
                    }
                    String[] specPath = paths.get().get(0).substring(1).split("/");
                    Object patch = replicas;
                    for (int i = specPath.length - 1; i >= 0; i--) {
                        patch = Map.of(specPath[i], patch);
                    }
                    MockResponse answer =
                            store.mergePatch(path.objectPath(), Serialization.asJson(patch));
                    if (answer.code() >= 300 || answer.getBody() == null) {
                        return answer;
                    }
                    JsonNode updated =
                            Serialization.unmarshal(answer.getBody().readUtf8(), JsonNode.class);
                    return ApiResponses.json(200, scale(updated, paths.get()));
                });
    }

    private static Integer intOrNull(JsonNode node) {
        return node.isIntegralNumber() ? node.asInt() : null;
    }

    private static JsonNode scale(JsonNode object, List<String> paths) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode scale = json.objectNode();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        JsonNode source = object.path("metadata");
        for (String field :
                List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (source.has(field)) {
                metadata.set(field, source.get(field));
            }
        }
        scale.putObject("spec").put("replicas", object.at(paths.get(0)).asInt(0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", paths.get(1) == null ? 0 : object.at(paths.get(1)).asInt(0));
        if (paths.get(2) != null) {
            JsonNode selector = object.at(paths.get(2));
            if (selector.isTextual()) {
                status.put("selector", selector.asText());
            } else if (selector.path("matchLabels").isObject()) {
                StringBuilder text = new StringBuilder();
                selector.path("matchLabels")
                        .fields()
                        .forEachRemaining(
                                e -> {
                                    if (text.length() > 0) {
                                        text.append(',');
                                    }
                                    text.append(e.getKey())
                                            .append('=')
                                            .append(e.getValue().asText());
                                });
                status.put("selector", text.toString());
            }
        }
        return scale;
    }
}
