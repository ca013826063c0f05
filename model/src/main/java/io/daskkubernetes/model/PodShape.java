package io.daskkubernetes.model;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a raw pod tree (maps and lists, as parsed from YAML) against the fabric8 model before it
 * is converted. fabric8 quietly keeps unknown fields and mistyped values aside, so a misspelt
 * {@code restart_policy} or a {@code containers:} that is not a list would otherwise vanish; here
 * each is an error naming the field and the spelling Kubernetes expects.
 */
final class PodShape {

    private static final ObjectMapper MAPPER = KubernetesJson.INTROSPECTION;
    private static final Map<Class<?>, Map<String, JavaType>> PROPERTIES =
            new ConcurrentHashMap<>();

    private PodShape() {}

    static void check(Map<String, Object> pod, String source) {
        checkBean(pod, MAPPER.constructType(Pod.class), "", source);
    }

    @SuppressWarnings("unchecked")
    private static void checkValue(Object value, JavaType type, String path, String source) {
        if (value == null) {
            return;
        }
        if (type.isCollectionLikeType()) {
            if (!(value instanceof List)) {
                throw new SpecException(
                        source,
                        path,
                        "is " + describe(value) + ", not a list",
                        "write it as a YAML list ('- item' lines or [a, b])");
            }
            List<Object> list = (List<Object>) value;
            for (int i = 0; i < list.size(); i++) {
                checkValue(list.get(i), type.getContentType(), path + "[" + i + "]", source);
            }
        } else if (type.isMapLikeType()) {
            if (!(value instanceof Map)) {
                throw new SpecException(
                        source,
                        path,
                        "is " + describe(value) + ", not a mapping",
                        "write it as 'key: value' lines");
            }
            ((Map<String, Object>) value)
                    .forEach(
                            (k, v) -> checkValue(v, type.getContentType(), path + "." + k, source));
        } else if (isModelBean(type.getRawClass())) {
            if (!(value instanceof Map)) {
                throw new SpecException(
                        source,
                        path,
                        "is " + describe(value) + ", not a mapping",
                        "write it as 'key: value' lines");
            }
            checkBean((Map<String, Object>) value, type, path, source);
        } else if (value instanceof Map || value instanceof List) {
            throw new SpecException(
                    source,
                    path,
                    "is " + describe(value) + ", not a single value",
                    "write a plain value such as a string or a number");
        }
    }

    private static void checkBean(
            Map<String, Object> map, JavaType type, String path, String source) {
        Map<String, JavaType> properties = properties(type);
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            String field = entry.getKey();
            String fieldPath = path.isEmpty() ? field : path + "." + field;
            JavaType fieldType = properties.get(field);
            if (fieldType == null) {
                throw new SpecException(
                        source,
                        fieldPath,
                        "is not a field of " + type.getRawClass().getSimpleName(),
                        suggestion(field, properties));
            }
            checkValue(entry.getValue(), fieldType, fieldPath, source);
        }
    }

    private static String suggestion(String field, Map<String, JavaType> properties) {
        String camel = toCamelCase(field);
        for (String known : properties.keySet()) {
            if (known.equals(camel) || known.equalsIgnoreCase(field)) {
                return "Kubernetes spells it " + known;
            }
        }
        return "use one of " + String.join(", ", properties.keySet().stream().sorted().toList());
    }

    private static String toCamelCase(String field) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : field.toCharArray()) {
            if (c == '_' || c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static Map<String, JavaType> properties(JavaType type) {
        return PROPERTIES.computeIfAbsent(
                type.getRawClass(),
                c -> {
                    BeanDescription description =
                            MAPPER.getDeserializationConfig().introspect(type);
                    Map<String, JavaType> properties = new LinkedHashMap<>();
                    for (BeanPropertyDefinition property : description.findProperties()) {
                        if (property.hasSetter()
                                || property.hasField()
                                || property.hasConstructorParameter()) {
                            properties.put(property.getName(), property.getPrimaryType());
                        }
                    }
                    return properties;
                });
    }

    /**
     * fabric8 model classes that Jackson reads field by field (not Quantity, IntOrString and the
     * like).
     */
    private static boolean isModelBean(Class<?> type) {
        if (!type.getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return false;
        }
        JsonDeserialize custom = type.getAnnotation(JsonDeserialize.class);
        return custom == null || custom.using() == JsonDeserializer.None.class;
    }

    private static String describe(Object value) {
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "\"" + value + "\"";
    }
}
