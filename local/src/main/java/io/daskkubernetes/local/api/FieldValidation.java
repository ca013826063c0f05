package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side field validation ({@code fieldValidation=Strict|Warn}, which kubectl sends once the
 * OpenAPI documents say the server supports it): fields of a built-in kind that its schema does not
 * have are refused (Strict, 400) or reported in a {@code Warning} header (Warn), as kube-apiserver
 * does. Custom resources are not checked.
 */
final class FieldValidation {

    private final ObjectNode schemas = JsonNodeFactory.instance.objectNode();
    private final OpenApiSchemas generator = new OpenApiSchemas(schemas);

    /** The unknown fields of {@code object}, as dotted paths; empty for custom resources. */
    synchronized List<String> unknownFields(Discovery.Resource resource, JsonNode object) {
        Optional<Class<?>> model = OpenApiEndpoint.modelClass(resource);
        List<String> unknown = new ArrayList<>();
        if (model.isPresent()) {
            walk(schemas.get(generator.add(model.get())), object, "", unknown);
        }
        return unknown;
    }

    /**
     * @throws ApiException 400 for unknown fields under Strict
     * @return the warnings to send under Warn
     */
    List<String> check(String directive, Discovery.Resource resource, JsonNode object) {
        if (directive == null || (!directive.equals("Strict") && !directive.equals("Warn"))) {
            return List.of();
        }
        List<String> unknown = unknownFields(resource, object);
        if (unknown.isEmpty()) {
            return List.of();
        }
        List<String> messages = unknown.stream().map(f -> "unknown field \"" + f + "\"").toList();
        if (directive.equals("Strict")) {
            throw ApiException.badRequest(
                    resource.kind()
                            + " in version \""
                            + resource.version()
                            + "\" cannot be handled as a "
                            + resource.kind()
                            + ": strict decoding error: "
                            + String.join(", ", messages));
        }
        return messages;
    }

    private void walk(JsonNode schema, JsonNode value, String path, List<String> unknown) {
        if (schema == null || value == null || value.isNull()) {
            return;
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            if (name.endsWith("JSONSchemaProps")) {
                // A CRD's schema: its JSON Schema keywords (additionalProperties, items...) do not
                // map onto fabric8's bean properties; kube-apiserver checks them as a schema.
                return;
            }
            walk(schemas.get(name), value, path, unknown);
            return;
        }
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isObject() && schema.has("properties")) {
            JsonNode properties = schema.get("properties");
            for (Map.Entry<String, JsonNode> field : iterable(value)) {
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getKey().equals("apiVersion")
                        || field.getKey().equals("kind")
                        || field.getKey().startsWith("$")) {
                    continue;
                }
                JsonNode fieldSchema = properties.get(field.getKey());
                if (fieldSchema == null) {
                    unknown.add(fieldPath);
                } else {
                    walk(fieldSchema, field.getValue(), fieldPath, unknown);
                }
            }
        } else if (value.isObject() && schema.has("additionalProperties")) {
            for (Map.Entry<String, JsonNode> field : iterable(value)) {
                walk(
                        schema.get("additionalProperties"),
                        field.getValue(),
                        path + "." + field.getKey(),
                        unknown);
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(schema.get("items"), value.get(i), path + "[" + i + "]", unknown);
            }
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
