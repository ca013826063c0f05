package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourceScale;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Optional;

/**
 * The {@code scale} subresource of custom resources whose CRD declares one, as the API server
 * serves it to {@code kubectl scale} and HorizontalPodAutoscalers: GET answers an {@code
 * autoscaling/v1 Scale} read at the CRD's paths; PATCH (merge) and PUT set {@code spec.replicas} at
 * the CRD's {@code specReplicasPath}.
 */
final class CustomResourceScale {

    private static final String CRD_PATH =
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private final ObjectStore store;

    CustomResourceScale(ObjectStore store) {
        this.store = store;
    }

    static boolean matches(ApiPath path) {
        return path.isResource()
                && path.group() != null
                && !path.group().isEmpty()
                && path.name() != null
                && "scale".equals(path.subresource());
    }

    MockResponse answer(ApiPath path, String method, String body) {
        Optional<CustomResourceSubresourceScale> scale = scaleOf(path);
        if (scale.isEmpty()) {
            return ApiResponses.notFound(path.resource() + "/scale", path.name());
        }
        return store.atomically(
                () -> {
                    Optional<String> stored = store.getJson(path.objectPath());
                    if (stored.isEmpty()) {
                        return ApiResponses.notFound(path.resource(), path.name());
                    }
                    if (method.equals("GET")) {
                        return ApiResponses.json(
                                200, scaleObject(readTree(stored.get()), scale.get()));
                    }
                    JsonNode replicas = readTree(body).at("/spec/replicas");
                    if (!replicas.isIntegralNumber() || replicas.asInt() < 0) {
                        return ApiResponses.status(
                                422,
                                "Invalid",
                                "spec.replicas: must be an integer of 0 or more, not " + replicas);
                    }
                    ObjectNode operation = JsonNodeFactory.instance.objectNode();
                    operation.put("op", "add");
                    operation.put("path", pointer(scale.get().getSpecReplicasPath()));
                    operation.set("value", replicas);
                    MockResponse patched =
                            store.handle(
                                    ObjectStore.request(
                                            HttpMethod.PATCH,
                                            path.objectPath(),
                                            "application/json-patch+json",
                                            "[" + Serialization.asJson(operation) + "]"));
                    if (!ApiResponses.isSuccess(patched)) {
                        return patched;
                    }
                    return ApiResponses.json(
                            200,
                            scaleObject(
                                    readTree(store.getJson(path.objectPath()).orElseThrow()),
                                    scale.get()));
                });
    }

    private Optional<CustomResourceSubresourceScale> scaleOf(ApiPath path) {
        for (CustomResourceDefinition crd : store.list(CRD_PATH, CustomResourceDefinition.class)) {
            if (!crd.getSpec().getGroup().equals(path.group())
                    || !crd.getSpec().getNames().getPlural().equals(path.resource())) {
                continue;
            }
            return crd.getSpec().getVersions().stream()
                    .filter(v -> v.getName().equals(path.version()))
                    .filter(v -> v.getSubresources() != null)
                    .map(v -> v.getSubresources().getScale())
                    .filter(s -> s != null)
                    .findFirst();
        }
        return Optional.empty();
    }

    private static ObjectNode scaleObject(JsonNode object, CustomResourceSubresourceScale scale) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("apiVersion", "autoscaling/v1");
        result.put("kind", "Scale");
        ObjectNode metadata = result.putObject("metadata");
        for (String field :
                new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (object.at("/metadata/" + field).isValueNode()) {
                metadata.set(field, object.at("/metadata/" + field));
            }
        }
        result.putObject("spec")
                .put("replicas", object.at(pointer(scale.getSpecReplicasPath())).asInt(0));
        ObjectNode status = result.putObject("status");
        status.put("replicas", object.at(pointer(scale.getStatusReplicasPath())).asInt(0));
        if (scale.getLabelSelectorPath() != null) {
            JsonNode selector = object.at(pointer(scale.getLabelSelectorPath()));
            if (selector.isTextual()) {
                status.put("selector", selector.asText());
            }
        }
        return result;
    }

    /** {@code .spec.worker.replicas} → {@code /spec/worker/replicas}. */
    private static String pointer(String jsonPath) {
        return jsonPath.replace('.', '/');
    }

    private static JsonNode readTree(String json) {
        return Serialization.unmarshal(json, JsonNode.class);
    }
}
