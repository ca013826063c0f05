package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collection;
import java.util.Map;

/**
 * OpenAPI v3 schemas of the built-in kinds, generated from fabric8's model classes (the same
 * classes the store reads objects with): every field with its type, nested kinds as {@code $ref}s.
 * fabric8's model carries no descriptions, so the schemas have none.
 */
final class OpenApiSchemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectMapper mapper = Serialization.jsonMapper();
    private final ObjectNode schemas;

    /**
     * @param schemas where the schemas go ({@code components.schemas}), by schema name
     */
    OpenApiSchemas(ObjectNode schemas) {
        this.schemas = schemas;
    }

    /** The schema name of a model class, after adding its schema (and those it refers to). */
    String add(Class<?> type) {
        String name = type.getName();
        if (schemas.has(name)) {
            return name;
        }
        ObjectNode schema = schemas.putObject(name);
        schema.put("type", "object");
        ObjectNode properties = JSON.objectNode();
        JavaType javaType = mapper.constructType(type);
        BeanDescription bean = mapper.getSerializationConfig().introspect(javaType);
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (property.getName().equals("additionalProperties")) {
                continue;
            }
            ObjectNode field = schemaOf(property.getPrimaryType());
            patchStrategy(property, field);
            properties.set(property.getName(), field);
        }
        schema.set("properties", properties);
        return name;
    }

    /** What kubectl apply needs to build a strategic merge patch: the lists that merge. */
    private static void patchStrategy(BeanPropertyDefinition property, ObjectNode field) {
        if (!"array".equals(field.path("type").asText())) {
            return;
        }
        String name = property.getName();
        if (StrategicMergePatch.isMergedScalarList(name)) {
            field.put("x-kubernetes-patch-strategy", "merge");
            return;
        }
        JavaType element = property.getPrimaryType().getContentType();
        boolean containerPorts =
                element != null
                        && element.getRawClass()
                                == io.fabric8.kubernetes.api.model.ContainerPort.class;
        StrategicMergePatch.mergeKeyOf(name, containerPorts)
                .ifPresent(
                        key ->
                                field.put("x-kubernetes-patch-merge-key", key)
                                        .put("x-kubernetes-patch-strategy", "merge"));
    }

    private ObjectNode schemaOf(JavaType type) {
        Class<?> raw = type.getRawClass();
        ObjectNode schema = JSON.objectNode();
        if (raw == String.class || raw == Character.class || raw == char.class) {
            schema.put("type", "string");
        } else if (raw == Integer.class || raw == int.class || raw == Short.class) {
            schema.put("type", "integer").put("format", "int32");
        } else if (raw == Long.class || raw == long.class) {
            schema.put("type", "integer").put("format", "int64");
        } else if (raw == Double.class || raw == double.class || raw == Float.class) {
            schema.put("type", "number").put("format", "double");
        } else if (raw == Boolean.class || raw == boolean.class) {
            schema.put("type", "boolean");
        } else if (raw == IntOrString.class || raw == Quantity.class) {
            schema.put("x-kubernetes-int-or-string", true);
        } else if (type.isMapLikeType()) {
            schema.put("type", "object");
            schema.set("additionalProperties", schemaOf(type.getContentType()));
        } else if (type.isCollectionLikeType()
                || type.isArrayType()
                || Collection.class.isAssignableFrom(raw)) {
            schema.put("type", "array");
            schema.set("items", schemaOf(type.getContentType()));
        } else if (KubernetesResource.class.isAssignableFrom(raw)
                && raw.getName().startsWith("io.fabric8.kubernetes.api.model")
                && !raw.isInterface()) {
            schema.put("$ref", "#/components/schemas/" + add(raw));
        } else if (Map.class.isAssignableFrom(raw)) {
            schema.put("type", "object");
        } else {
            schema.put("type", "object");
            schema.put("x-kubernetes-preserve-unknown-fields", true);
        }
        return schema;
    }
}
