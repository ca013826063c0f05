package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Reads the Kubernetes protobuf bodies kubectl sends for its imperative {@code create configmap},
 * {@code create secret} and {@code create namespace} (kubectl sends protobuf for built-in kinds
 * whatever the server advertises): the {@code k8s\0} envelope, {@code runtime.Unknown} and the
 * messages of ConfigMap, Secret and Namespace with their ObjectMeta. Any other kind or field is
 * refused with 415 naming it, never guessed.
 */
final class ProtobufBodies {

    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** How a field is read and what it becomes in JSON. */
    private enum Type {
        STRING,
        BYTES,
        INT,
        BOOL,
        TIME,
        STRING_LIST,
        STRING_MAP,
        BYTES_MAP,
        MESSAGE,
        MESSAGE_LIST
    }

    private record Field(String name, Type type, Map<Integer, Field> message) {
        static Field of(String name, Type type) {
            return new Field(name, type, null);
        }

        static Field of(String name, Type type, Map<Integer, Field> message) {
            return new Field(name, type, message);
        }
    }

    private static final Map<Integer, Field> OWNER_REFERENCE =
            Map.of(
                    1, Field.of("kind", Type.STRING),
                    3, Field.of("name", Type.STRING),
                    4, Field.of("uid", Type.STRING),
                    5, Field.of("apiVersion", Type.STRING),
                    6, Field.of("controller", Type.BOOL),
                    7, Field.of("blockOwnerDeletion", Type.BOOL));

    private static final Map<Integer, Field> OBJECT_META =
            Map.ofEntries(
                    Map.entry(1, Field.of("name", Type.STRING)),
                    Map.entry(2, Field.of("generateName", Type.STRING)),
                    Map.entry(3, Field.of("namespace", Type.STRING)),
                    Map.entry(4, Field.of("selfLink", Type.STRING)),
                    Map.entry(5, Field.of("uid", Type.STRING)),
                    Map.entry(6, Field.of("resourceVersion", Type.STRING)),
                    Map.entry(7, Field.of("generation", Type.INT)),
                    Map.entry(8, Field.of("creationTimestamp", Type.TIME)),
                    Map.entry(9, Field.of("deletionTimestamp", Type.TIME)),
                    Map.entry(10, Field.of("deletionGracePeriodSeconds", Type.INT)),
                    Map.entry(11, Field.of("labels", Type.STRING_MAP)),
                    Map.entry(12, Field.of("annotations", Type.STRING_MAP)),
                    Map.entry(13, Field.of("ownerReferences", Type.MESSAGE_LIST, OWNER_REFERENCE)),
                    Map.entry(14, Field.of("finalizers", Type.STRING_LIST)));

    private static final Map<Integer, Field> ACCESS_REVIEW_SPEC =
            Map.of(
                    1,
                    Field.of(
                            "resourceAttributes",
                            Type.MESSAGE,
                            Map.of(
                                    1, Field.of("namespace", Type.STRING),
                                    2, Field.of("verb", Type.STRING),
                                    3, Field.of("group", Type.STRING),
                                    4, Field.of("version", Type.STRING),
                                    5, Field.of("resource", Type.STRING),
                                    6, Field.of("subresource", Type.STRING),
                                    7, Field.of("name", Type.STRING))),
                    2,
                    Field.of(
                            "nonResourceAttributes",
                            Type.MESSAGE,
                            Map.of(
                                    1, Field.of("path", Type.STRING),
                                    2, Field.of("verb", Type.STRING))));

    private static final Map<String, Map<Integer, Field>> KINDS =
            Map.of(
                    "SelfSubjectAccessReview",
                    Map.of(
                            1, Field.of("metadata", Type.MESSAGE, OBJECT_META),
                            2, Field.of("spec", Type.MESSAGE, ACCESS_REVIEW_SPEC),
                            3,
                                    Field.of(
                                            "status",
                                            Type.MESSAGE,
                                            Map.of(
                                                    1, Field.of("allowed", Type.BOOL),
                                                    2, Field.of("reason", Type.STRING),
                                                    3, Field.of("evaluationError", Type.STRING),
                                                    4, Field.of("denied", Type.BOOL)))),
                    "ConfigMap",
                    Map.of(
                            1, Field.of("metadata", Type.MESSAGE, OBJECT_META),
                            2, Field.of("data", Type.STRING_MAP),
                            3, Field.of("binaryData", Type.BYTES_MAP),
                            4, Field.of("immutable", Type.BOOL)),
                    "Secret",
                    Map.of(
                            1, Field.of("metadata", Type.MESSAGE, OBJECT_META),
                            2, Field.of("data", Type.BYTES_MAP),
                            3, Field.of("type", Type.STRING),
                            4, Field.of("stringData", Type.STRING_MAP),
                            5, Field.of("immutable", Type.BOOL)),
                    "Namespace",
                    Map.of(
                            1, Field.of("metadata", Type.MESSAGE, OBJECT_META),
                            2,
                                    Field.of(
                                            "spec",
                                            Type.MESSAGE,
                                            Map.of(1, Field.of("finalizers", Type.STRING_LIST))),
                            3,
                                    Field.of(
                                            "status",
                                            Type.MESSAGE,
                                            Map.of(1, Field.of("phase", Type.STRING)))));

    private static final Map<Integer, Field> TYPE_META =
            Map.of(1, Field.of("apiVersion", Type.STRING), 2, Field.of("kind", Type.STRING));

    private ProtobufBodies() {}

    static boolean isProtobuf(String contentType) {
        return contentType != null
                && contentType
                        .toLowerCase(java.util.Locale.ROOT)
                        .startsWith("application/vnd.kubernetes.protobuf");
    }

    /** The JSON object a protobuf body encodes. */
    static ObjectNode toJson(byte[] body) {
        if (body.length < MAGIC.length
                || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw ApiException.badRequest(
                    "the protobuf body does not start with the Kubernetes envelope (k8s\\0)");
        }
        Reader envelope = new Reader(body, MAGIC.length, body.length);
        ObjectNode typeMeta = JSON.objectNode();
        byte[] raw = null;
        while (envelope.more()) {
            int tag = envelope.varintAsInt();
            int number = tag >>> 3;
            if (number == 1) {
                typeMeta = envelope.message(TYPE_META, "TypeMeta");
            } else if (number == 2) {
                raw = envelope.bytes();
            } else {
                envelope.skip(tag & 7);
            }
        }
        String kind = typeMeta.path("kind").asText("");
        Map<Integer, Field> schema = KINDS.get(kind);
        if (schema == null) {
            throw new ApiException(
                    415,
                    "UnsupportedMediaType",
                    "the local runtime reads protobuf bodies of ConfigMap, Secret, Namespace and"
                            + " SelfSubjectAccessReview only, not "
                            + (kind.isEmpty() ? "this body" : kind)
                            + "; send JSON (for kubectl: kubectl create ... --dry-run=client -o"
                            + " yaml | kubectl apply -f -)");
        }
        if (raw == null) {
            throw ApiException.badRequest("the protobuf envelope carries no object");
        }
        ObjectNode object = new Reader(raw, 0, raw.length).readMessage(schema, kind);
        ObjectNode result = JSON.objectNode();
        result.put("apiVersion", typeMeta.path("apiVersion").asText("v1"));
        result.put("kind", kind);
        result.setAll(object);
        return result;
    }

    /** A protobuf wire-format reader over part of a byte array. */
    private static final class Reader {

        private final byte[] bytes;
        private int position;
        private final int end;

        Reader(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean more() {
            return position < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw malformed();
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw malformed();
        }

        int varintAsInt() {
            return (int) varint();
        }

        byte[] bytes() {
            long length = varint();
            if (length < 0 || position + length > end) {
                throw malformed();
            }
            byte[] value = Arrays.copyOfRange(bytes, position, position + (int) length);
            position += (int) length;
            return value;
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> position += 8;
                case 2 -> bytes();
                case 5 -> position += 4;
                default -> throw malformed();
            }
            if (position > end) {
                throw malformed();
            }
        }

        /** Reads a length-delimited message field. */
        ObjectNode message(Map<Integer, Field> schema, String what) {
            return sub().readMessage(schema, what);
        }

        ObjectNode readMessage(Map<Integer, Field> schema, String what) {
            ObjectNode object = JSON.objectNode();
            while (more()) {
                int tag = varintAsInt();
                Field field = schema.get(tag >>> 3);
                if (field == null) {
                    throw new ApiException(
                            415,
                            "UnsupportedMediaType",
                            "the local runtime cannot read field "
                                    + (tag >>> 3)
                                    + " of "
                                    + what
                                    + " in a protobuf body; send JSON instead");
                }
                read(field, object, what);
            }
            return object;
        }

        private void read(Field field, ObjectNode object, String what) {
            switch (field.type()) {
                case STRING -> object.put(field.name(), string(bytes()));
                case BYTES -> object.put(field.name(), Base64.getEncoder().encodeToString(bytes()));
                case INT -> object.put(field.name(), varint());
                case BOOL -> object.put(field.name(), varint() != 0);
                case TIME -> {
                    ObjectNode time =
                            sub().readMessage(
                                            Map.of(
                                                    1,
                                                    Field.of("seconds", Type.INT),
                                                    2,
                                                    Field.of("nanos", Type.INT)),
                                            "Time");
                    if (time.path("seconds").asLong(0) != 0) {
                        object.put(
                                field.name(),
                                Instant.ofEpochSecond(time.path("seconds").asLong()).toString());
                    }
                }
                case STRING_LIST -> withArray(object, field.name()).add(string(bytes()));
                case STRING_MAP, BYTES_MAP -> {
                    ObjectNode entry =
                            sub().readMessage(
                                            Map.of(
                                                    1,
                                                    Field.of("key", Type.STRING),
                                                    2,
                                                    Field.of(
                                                            "value",
                                                            field.type() == Type.STRING_MAP
                                                                    ? Type.STRING
                                                                    : Type.BYTES)),
                                            what + "." + field.name());
                    ObjectNode map =
                            object.has(field.name())
                                    ? (ObjectNode) object.get(field.name())
                                    : object.putObject(field.name());
                    map.put(entry.path("key").asText(""), entry.path("value").asText(""));
                }
                case MESSAGE ->
                        object.set(
                                field.name(),
                                sub().readMessage(field.message(), what + "." + field.name()));
                case MESSAGE_LIST ->
                        withArray(object, field.name())
                                .add(sub().readMessage(field.message(), what + "." + field.name()));
            }
        }

        private Reader sub() {
            byte[] inner = bytes();
            return new Reader(inner, 0, inner.length);
        }

        private static ArrayNode withArray(ObjectNode object, String name) {
            return object.has(name) ? (ArrayNode) object.get(name) : object.putArray(name);
        }

        private static String string(byte[] value) {
            return new String(value, StandardCharsets.UTF_8);
        }

        private static ApiException malformed() {
            return ApiException.badRequest("the protobuf body is malformed (truncated field)");
        }
    }
}
