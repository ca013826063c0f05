package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI v3 documents ({@code /openapi/v3} and one per group version) that kubectl reads: to
 * see that the server validates fields itself ({@code fieldValidation} on each PATCH), so that
 * {@code apply -f} and {@code create -f} work with their default validation; for {@code explain};
 * and for the patch strategies {@code apply} builds strategic merge patches with. OpenAPI v2 is not
 * served (kubectl reads it as protobuf only); the paths answer 404.
 */
final class OpenApiEndpoint {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String V3 = "/openapi/v3";

    private final Discovery discovery;
    private final Map<String, String> documents = new ConcurrentHashMap<>();

    OpenApiEndpoint(Discovery discovery) {
        this.discovery = discovery;
    }

    static boolean handles(ApiPath path) {
        return path.root().equals("openapi");
    }

    MockResponse answer(String requestPath) {
        String path =
                requestPath.contains("?")
                        ? requestPath.substring(0, requestPath.indexOf('?'))
                        : requestPath;
        if (path.equals(V3) || path.equals(V3 + "/")) {
            return ApiResponses.json(200, index());
        }
        if (path.startsWith(V3 + "/")) {
            String groupVersion = path.substring(V3.length() + 1);
            return document(groupVersion)
                    .map(json -> ApiResponses.json(200, json))
                    .orElseThrow(
                            () -> ApiException.notFound("no OpenAPI document for " + groupVersion));
        }
        throw ApiException.notFound(
                "the local runtime serves OpenAPI v3 (/openapi/v3) only, not " + path);
    }

    private Map<String, Object> index() {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (String groupVersion : groupVersions()) {
            String hash = document(groupVersion).map(OpenApiEndpoint::hash).orElse("0");
            paths.put(
                    groupVersion,
                    Map.of("serverRelativeURL", V3 + "/" + groupVersion + "?hash=" + hash));
        }
        return Map.of("paths", paths);
    }

    private List<String> groupVersions() {
        return discovery.resources().stream()
                .map(
                        r ->
                                r.group().isEmpty()
                                        ? "api/" + r.version()
                                        : "apis/" + r.group() + "/" + r.version())
                .distinct()
                .toList();
    }

    private Optional<String> document(String groupVersion) {
        if (!groupVersions().contains(groupVersion)) {
            return Optional.empty();
        }
        // Keyed by the resources too: a custom resource definition changes its group's document.
        String key =
                groupVersion
                        + discovery.resources().stream()
                                .filter(r -> groupVersion.endsWith(r.group() + "/" + r.version()))
                                .map(Discovery.Resource::toString)
                                .toList();
        return Optional.of(documents.computeIfAbsent(key, k -> build(groupVersion)));
    }

    private String build(String groupVersion) {
        ObjectNode document = JSON.objectNode();
        document.put("openapi", "3.0.0");
        document.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = document.putObject("paths");
        ObjectNode schemas = document.putObject("components").putObject("schemas");
        OpenApiSchemas generator = new OpenApiSchemas(schemas);
        for (Discovery.Resource resource : discovery.resources()) {
            String gv =
                    resource.group().isEmpty()
                            ? "api/" + resource.version()
                            : "apis/" + resource.group() + "/" + resource.version();
            if (!gv.equals(groupVersion) || resource.plural().contains("/")) {
                continue;
            }
            Optional<Class<?>> model = modelClass(resource);
            String schemaRef = null;
            if (model.isPresent()) {
                String name = generator.add(model.get());
                ((ObjectNode) schemas.get(name))
                        .putArray("x-kubernetes-group-version-kind")
                        .add(gvk(resource));
                schemaRef = "#/components/schemas/" + name;
            }
            String prefix = "/" + gv + (resource.namespaced() ? "/namespaces/{namespace}" : "");
            String collection = prefix + "/" + resource.plural();
            ObjectNode collectionPath = paths.putObject(collection);
            collectionPath.set("get", operation(resource, "list", schemaRef, false));
            collectionPath.set("post", operation(resource, "post", schemaRef, true));
            collectionPath.set("delete", operation(resource, "deletecollection", null, false));
            ObjectNode objectPath = paths.putObject(collection + "/{name}");
            objectPath.set("get", operation(resource, "get", schemaRef, false));
            objectPath.set("put", operation(resource, "put", schemaRef, true));
            objectPath.set("patch", operation(resource, "patch", schemaRef, true));
            objectPath.set("delete", operation(resource, "delete", null, false));
        }
        return Serialization.asJson(document);
    }

    private static ObjectNode gvk(Discovery.Resource resource) {
        ObjectNode gvk = JSON.objectNode();
        gvk.put("group", resource.group());
        gvk.put("kind", resource.kind());
        gvk.put("version", resource.version());
        return gvk;
    }

    private static ObjectNode operation(
            Discovery.Resource resource, String action, String schemaRef, boolean writes) {
        ObjectNode operation = JSON.objectNode();
        operation.put("x-kubernetes-action", action);
        operation.set("x-kubernetes-group-version-kind", gvk(resource));
        ArrayNode parameters = operation.putArray("parameters");
        if (writes) {
            for (String name : List.of("dryRun", "fieldManager", "fieldValidation")) {
                parameters
                        .addObject()
                        .put("name", name)
                        .put("in", "query")
                        .putObject("schema")
                        .put("type", "string");
            }
        }
        ObjectNode ok = operation.putObject("responses").putObject("200");
        ok.put("description", "OK");
        if (schemaRef != null) {
            ok.putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", schemaRef);
        }
        return operation;
    }

    /** The fabric8 model class of a built-in kind; custom resources have none. */
    static Optional<Class<?>> modelClass(Discovery.Resource resource) {
        String apiVersion =
                resource.group().isEmpty()
                        ? resource.version()
                        : resource.group() + "/" + resource.version();
        try {
            KubernetesResource object =
                    Serialization.unmarshal(
                            "{\"apiVersion\":\""
                                    + apiVersion
                                    + "\",\"kind\":\""
                                    + resource.kind()
                                    + "\"}",
                            KubernetesResource.class);
            if (object == null
                    || object
                            instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) {
                return Optional.empty();
            }
            return Optional.of(object.getClass());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String hash(String document) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(document.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16).toUpperCase(java.util.Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
