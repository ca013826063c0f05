package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a document against a CRD's {@code openAPIV3Schema} as the API server's structural schema
 * validation does for the keywords our CRDs use: {@code type}, {@code properties}, {@code
 * required}, {@code items}, {@code additionalProperties}, {@code minimum}, {@code anyOf} with
 * {@code x-kubernetes-int-or-string} and {@code x-kubernetes-preserve-unknown-fields}. Stricter in
 * one way, on purpose: a field the schema does not know is reported (the API server would prune it
 * silently), so a manifest field our types miss cannot go unnoticed.
 */
final class StructuralSchema {

    private final JsonNode schema;

    StructuralSchema(JsonNode schema) {
        this.schema = schema;
    }

    /** Every violation, each naming the field's path; empty when the document is valid. */
    List<String> violations(JsonNode document) {
        List<String> problems = new ArrayList<>();
        check(schema, document, "", problems);
        return problems;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> out) {
        if (value == null || value.isNull()) {
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                out.add(path + ": must be an integer or a string, not " + value.getNodeType());
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> checkObject(schema, value, path, out);
            case "array" -> {
                if (!value.isArray()) {
                    out.add(path + ": must be an array, not " + value.getNodeType());
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]", out);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    out.add(path + ": must be a string, not " + value.getNodeType());
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    out.add(path + ": must be an integer, not " + value.getNodeType());
                } else if (schema.has("minimum")
                        && value.asDouble() < schema.get("minimum").asDouble()) {
                    out.add(path + ": must be at least " + schema.get("minimum").asText());
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    out.add(path + ": must be a number, not " + value.getNodeType());
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    out.add(path + ": must be a boolean, not " + value.getNodeType());
                }
            }
            case "" -> {
                if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                    out.add(path + ": the schema gives no type and does not preserve unknowns");
                }
            }
            default -> out.add(path + ": unknown schema type " + type);
        }
    }

    private static void checkObject(
            JsonNode schema, JsonNode value, String path, List<String> out) {
        if (!value.isObject()) {
            out.add(path + ": must be an object, not " + value.getNodeType());
            return;
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                out.add(path + "." + required.asText() + ": required");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), fieldPath, out);
            } else if (additional.isObject()) {
                check(additional, field.getValue(), fieldPath, out);
            } else if (!preserve) {
                out.add(fieldPath + ": unknown field");
            }
        }
    }
}
