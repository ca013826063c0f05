package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The violations of an OpenAPI v3 (structural) schema by a value, worded as kube-apiserver words
 * them for custom resources: {@code <field>: Required value}, {@code <field>: Invalid value: -1:
 * <field> in body should be greater than or equal to 0}, {@code <field>: Unsupported value: "x":
 * supported values: "a", "b"}, each with its field path ({@code spec.containers[0].name}).
 */
final class SchemaViolations {

    private final List<StatusCause> causes = new ArrayList<>();

    boolean isEmpty() {
        return causes.isEmpty();
    }

    List<StatusCause> causes() {
        return List.copyOf(causes);
    }

    /** Checks {@code value}, found at {@code path} ("" for the root), against {@code schema}. */
    void check(JsonNode schema, JsonNode value, String path) {
        if (schema == null || schema.isMissingNode() || value == null || value.isNull()) {
            return;
        }
        if (!typeFits(schema, value)) {
            String type =
                    schema.path("x-kubernetes-int-or-string").asBoolean(false)
                            ? "integer,string"
                            : schema.path("type").asText();
            add(
                    "FieldValueTypeInvalid",
                    path,
                    "Invalid value: "
                            + quoted(jsonType(value))
                            + ": "
                            + path
                            + " in body must be of type "
                            + type
                            + ": "
                            + quoted(jsonType(value)));
            return;
        }
        if (value.isNumber()) {
            checkBounds(schema, value, path);
        } else if (value.isTextual()) {
            checkString(schema, value.asText(), path);
        }
        checkEnum(schema, value, path);
        if (value.isObject()) {
            checkObject(schema, value, path);
        } else if (value.isArray()) {
            checkArray(schema, value, path);
        }
    }

    private static boolean typeFits(JsonNode schema, JsonNode value) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return value.isIntegralNumber() || value.isTextual();
        }
        String type = schema.path("type").asText("");
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" ->
                    value.isIntegralNumber()
                            || (value.isNumber()
                                    && value.decimalValue().stripTrailingZeros().scale() <= 0);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    private static String jsonType(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return value.isIntegralNumber() ? "integer" : "number";
    }

    private void checkBounds(JsonNode schema, JsonNode value, String path) {
        BigDecimal number = value.decimalValue();
        if (schema.has("minimum")) {
            BigDecimal minimum = schema.get("minimum").decimalValue();
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            int compared = number.compareTo(minimum);
            if (compared < 0 || (exclusive && compared == 0)) {
                invalid(
                        path,
                        value.toString(),
                        path
                                + " in body should be greater than "
                                + (exclusive ? "" : "or equal to ")
                                + plain(minimum));
            }
        }
        if (schema.has("maximum")) {
            BigDecimal maximum = schema.get("maximum").decimalValue();
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            int compared = number.compareTo(maximum);
            if (compared > 0 || (exclusive && compared == 0)) {
                invalid(
                        path,
                        value.toString(),
                        path
                                + " in body should be less than "
                                + (exclusive ? "" : "or equal to ")
                                + plain(maximum));
            }
        }
    }

    /** 0.0 as 0, as Go's %v prints a float64 that is whole. */
    private static String plain(BigDecimal number) {
        return number.stripTrailingZeros().toPlainString();
    }

    private void checkString(JsonNode schema, String text, String path) {
        int length = text.codePointCount(0, text.length());
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            add(
                    "FieldValueTooLong",
                    path,
                    "Too long: may not be longer than " + schema.get("maxLength").asInt());
        }
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            invalid(
                    path,
                    quoted(text),
                    path
                            + " in body should be at least "
                            + schema.get("minLength").asInt()
                            + " chars long");
        }
        if (schema.has("pattern")) {
            String pattern = schema.get("pattern").asText();
            try {
                if (!Pattern.compile(pattern).matcher(text).find()) {
                    invalid(path, quoted(text), path + " in body should match '" + pattern + "'");
                }
            } catch (PatternSyntaxException e) {
                // kube-apiserver refuses such a CRD; the local runtime stores it, so say so here
                invalid(path, quoted(text), "the CRD's pattern '" + pattern + "' is not valid");
            }
        }
    }

    private void checkEnum(JsonNode schema, JsonNode value, String path) {
        JsonNode allowed = schema.get("enum");
        if (allowed == null || !allowed.isArray() || allowed.isEmpty()) {
            return;
        }
        for (JsonNode option : allowed) {
            if (option.equals(value)
                    || (option.isNumber()
                            && value.isNumber()
                            && option.decimalValue().compareTo(value.decimalValue()) == 0)) {
                return;
            }
        }
        List<String> options = new ArrayList<>();
        allowed.forEach(o -> options.add(o.isTextual() ? quoted(o.asText()) : o.toString()));
        add(
                "FieldValueNotSupported",
                path,
                "Unsupported value: "
                        + (value.isTextual() ? quoted(value.asText()) : value.toString())
                        + ": supported values: "
                        + String.join(", ", options));
    }

    private void checkObject(JsonNode schema, JsonNode value, String path) {
        JsonNode required = schema.get("required");
        if (required != null) {
            for (JsonNode name : required) {
                JsonNode field = value.get(name.asText());
                if (field == null || field.isNull()) {
                    add("FieldValueRequired", child(path, name.asText()), "Required value");
                }
            }
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (properties != null && properties.has(field.getKey())) {
                check(
                        properties.get(field.getKey()),
                        field.getValue(),
                        child(path, field.getKey()));
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), path + "[" + field.getKey() + "]");
            }
        }
    }

    private void checkArray(JsonNode schema, JsonNode value, String path) {
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            add(
                    "FieldValueTooMany",
                    path,
                    "Too many: "
                            + value.size()
                            + ": must have at most "
                            + schema.get("maxItems").asInt()
                            + " items");
        }
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            invalid(
                    path,
                    String.valueOf(value.size()),
                    path
                            + " in body should have at least "
                            + schema.get("minItems").asInt()
                            + " items");
        }
        if (schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]");
            }
        }
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    void invalid(String path, String shownValue, String detail) {
        add("FieldValueInvalid", path, "Invalid value: " + shownValue + ": " + detail);
    }

    void tooLong(String path, int limit) {
        add("FieldValueTooLong", path, "Too long: may not be more than " + limit + " bytes");
    }

    private void add(String reason, String path, String message) {
        causes.add(
                new StatusCauseBuilder()
                        .withReason(reason)
                        .withField(path)
                        .withMessage(message)
                        .build());
    }

    /** A string as Go's %q shows it. */
    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
