package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Structural-schema pruning, as kube-apiserver does to a custom resource before validating it:
 * fields the schema does not specify are dropped, unless {@code
 * x-kubernetes-preserve-unknown-fields} keeps them (or the field is an {@code
 * x-kubernetes-embedded-resource}'s apiVersion, kind or metadata); a JSON null where the schema is
 * not {@code nullable} is dropped too. apiVersion, kind and metadata of the object itself are the
 * API server's and are never pruned.
 */
final class SchemaPruning {

    private SchemaPruning() {}

    /** Prunes the custom resource {@code object} in place against its CRD's root schema. */
    static void pruneObject(JsonNode rootSchema, ObjectNode object) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        List<String> drop = new ArrayList<>();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata")) {
                continue;
            }
            JsonNode schema = rootSchema.path("properties").get(name);
            if (schema == null) {
                if (!preservesUnknown(rootSchema)) {
                    drop.add(name);
                }
            } else if (field.getValue().isNull() && !schema.path("nullable").asBoolean(false)) {
                drop.add(name);
            } else {
                prune(schema, field.getValue());
            }
        }
        object.remove(drop);
    }

    /** Prunes {@code value} in place against {@code schema}. */
    static void prune(JsonNode schema, JsonNode value) {
        if (schema == null || schema.isMissingNode() || value == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            boolean preserve = preservesUnknown(schema);
            boolean embedded = schema.path("x-kubernetes-embedded-resource").asBoolean(false);
            List<String> drop = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                JsonNode fieldSchema =
                        properties != null && properties.has(name)
                                ? properties.get(name)
                                : additional != null && additional.isObject() ? additional : null;
                if (fieldSchema == null) {
                    boolean embeddedMeta =
                            embedded && List.of("apiVersion", "kind", "metadata").contains(name);
                    boolean allowedByAdditional = additional != null && additional.asBoolean(false);
                    if (!preserve && !embeddedMeta && !allowedByAdditional) {
                        drop.add(name);
                    }
                } else if (field.getValue().isNull()
                        && !fieldSchema.path("nullable").asBoolean(false)) {
                    drop.add(name);
                } else {
                    prune(fieldSchema, field.getValue());
                }
            }
            object.remove(drop);
        } else if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                prune(schema.get("items"), item);
            }
        }
    }

    private static boolean preservesUnknown(JsonNode schema) {
        return schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    }
}
