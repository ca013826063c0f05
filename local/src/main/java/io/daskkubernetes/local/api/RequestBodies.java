package io.daskkubernetes.local.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads request bodies as kube-apiserver does before it acts: JSON (or YAML) only, malformed bodies
 * are 400 and protobuf is 415, never a 500; objects sent to create or replace get their {@code
 * apiVersion}, {@code kind} and namespace from the URL when they leave them out (the Python client
 * does), and a body that names another kind or namespace than its URL is refused.
 */
final class RequestBodies {

    private RequestBodies() {}

    static String text(RecordedRequest request) {
        if (request.getBody() == null || request.getBody().size() == 0) {
            return "";
        }
        return new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    /** Refuses bodies in a format we do not read, with 415. */
    static void requireReadableContentType(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null) {
            return;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (ProtobufBodies.isProtobuf(type)) {
            return;
        }
        if (type.contains("protobuf") || type.contains("cbor")) {
            throw new ApiException(
                    415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types"
                            + " include: application/json, application/yaml,"
                            + " application/json-patch+json, application/merge-patch+json,"
                            + " application/strategic-merge-patch+json");
        }
    }

    static JsonNode parseJson(String body) {
        try {
            JsonNode node = Serialization.jsonMapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty; expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(
                    "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The body as JSON text: a protobuf body (kind DeleteOptions, from Helm) is decoded. */
    static String jsonText(RecordedRequest request) {
        if (ProtobufBodies.isProtobuf(request.getHeader("Content-Type"))
                && request.getBody() != null
                && request.getBody().size() > 0) {
            return ProtobufBodies.toJson(request.getBody().getBytes()).toString();
        }
        return text(request);
    }

    static JsonNode parse(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (ProtobufBodies.isProtobuf(contentType)) {
            return ProtobufBodies.toJson(
                    request.getBody() == null ? new byte[0] : request.getBody().getBytes());
        }
        String body = text(request);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("yaml")) {
            try {
                return Serialization.unmarshal(body, JsonNode.class);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("the request body is not valid YAML: " + e);
            }
        }
        return parseJson(body);
    }

    /**
     * The object of a create (POST) or replace (PUT), completed from the URL, as the JSON request
     * the rest of the pipeline reads.
     */
    static RecordedRequest completedObject(
            RecordedRequest request, ApiPath path, Discovery.Resource resource) {
        JsonNode parsed = parse(request);
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.badRequest(
                    "the request body must be a JSON object (a "
                            + resource.kind()
                            + "), not "
                            + parsed.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        String apiVersion = path.apiVersion();
        String sentVersion = object.path("apiVersion").asText("");
        String sentKind = object.path("kind").asText("");
        if (!sentVersion.isEmpty() && !sentVersion.equals(apiVersion)) {
            throw ApiException.badRequest(
                    "the API version in the data ("
                            + sentVersion
                            + ") does not match the expected API version ("
                            + apiVersion
                            + ")");
        }
        if (!sentKind.isEmpty() && !sentKind.equals(resource.kind())) {
            throw ApiException.badRequest(
                    "the kind in the data ("
                            + sentKind
                            + ") does not match the kind of "
                            + path.resource()
                            + " ("
                            + resource.kind()
                            + ")");
        }
        object.put("apiVersion", apiVersion);
        object.put("kind", resource.kind());
        JsonNode metadata = object.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw ApiException.badRequest("metadata must be an object");
        }
        ObjectNode meta = object.with("metadata");
        if (path.namespace() != null) {
            String sentNamespace = meta.path("namespace").asText("");
            if (!sentNamespace.isEmpty() && !sentNamespace.equals(path.namespace())) {
                throw ApiException.badRequest(
                        "the namespace of the provided object ("
                                + sentNamespace
                                + ") does not match the namespace sent on the request ("
                                + path.namespace()
                                + ")");
            }
            meta.put("namespace", path.namespace());
        } else if (resource.namespaced() == false && meta.has("namespace")) {
            meta.remove("namespace");
        }
        if (path.name() != null) {
            String sentName = meta.path("name").asText("");
            if (!sentName.isEmpty() && !sentName.equals(path.name())) {
                throw ApiException.badRequest(
                        "the name of the object ("
                                + sentName
                                + ") does not match the name on the URL ("
                                + path.name()
                                + ")");
            }
            meta.put("name", path.name());
        }
        return withBody(request, Serialization.asJson(object));
    }

    static RecordedRequest withBody(RecordedRequest request, String json) {
        Headers.Builder headers = Headers.builder();
        request.getHeaders()
                .toMultimap()
                .forEach(
                        (name, values) -> {
                            if (!name.equalsIgnoreCase("Content-Type")
                                    && !name.equalsIgnoreCase("Content-Length")) {
                                values.forEach(value -> headers.add(name, value));
                            }
                        });
        headers.add("Content-Type", "application/json");
        return new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                request.getPath(),
                headers.build(),
                new Buffer(json.getBytes(StandardCharsets.UTF_8)));
    }
}
