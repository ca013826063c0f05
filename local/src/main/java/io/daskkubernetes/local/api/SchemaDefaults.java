package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Structural-schema defaulting, as kube-apiserver does to a custom resource after pruning: a field
 * absent from an object that is there gets the {@code default} its schema declares (upstream's
 * {@code spec.worker.replicas: 1}), at every depth.
 */
final class SchemaDefaults {

    private SchemaDefaults() {}

    /** Fills in the defaults of {@code schema} in {@code value}, in place. */
    static void apply(JsonNode schema, JsonNode value) {
        if (schema == null || schema.isMissingNode() || value == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.get("properties");
            if (properties != null) {
                Iterator<Map.Entry<String, JsonNode>> declared = properties.fields();
                while (declared.hasNext()) {
                    Map.Entry<String, JsonNode> property = declared.next();
                    JsonNode fallback = property.getValue().get("default");
                    if (fallback != null && !object.has(property.getKey())) {
                        object.set(property.getKey(), fallback.deepCopy());
                    }
                }
            }
            JsonNode additional = schema.get("additionalProperties");
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (properties != null && properties.has(field.getKey())) {
                    apply(properties.get(field.getKey()), field.getValue());
                } else if (additional != null && additional.isObject()) {
                    apply(additional, field.getValue());
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                apply(schema.get("items"), item);
            }
        }
    }
}
