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
        QUANTITY_MAP,
        INT_OR_STRING,
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

    private static final Map<Integer, Field> CONTAINER =
            Map.ofEntries(
                    Map.entry(1, Field.of("name", Type.STRING)),
                    Map.entry(2, Field.of("image", Type.STRING)),
                    Map.entry(3, Field.of("command", Type.STRING_LIST)),
                    Map.entry(4, Field.of("args", Type.STRING_LIST)),
                    Map.entry(5, Field.of("workingDir", Type.STRING)),
                    Map.entry(
                            6,
                            Field.of(
                                    "ports",
                                    Type.MESSAGE_LIST,
                                    Map.of(
                                            1, Field.of("name", Type.STRING),
                                            2, Field.of("hostPort", Type.INT),
                                            3, Field.of("containerPort", Type.INT),
                                            4, Field.of("protocol", Type.STRING),
                                            5, Field.of("hostIP", Type.STRING)))),
                    Map.entry(
                            7,
                            Field.of(
                                    "env",
                                    Type.MESSAGE_LIST,
                                    Map.of(
                                            1, Field.of("name", Type.STRING),
                                            2, Field.of("value", Type.STRING)))),
                    Map.entry(
                            8,
                            Field.of(
                                    "resources",
                                    Type.MESSAGE,
                                    Map.of(
                                            1, Field.of("limits", Type.QUANTITY_MAP),
                                            2, Field.of("requests", Type.QUANTITY_MAP)))),
                    Map.entry(13, Field.of("terminationMessagePath", Type.STRING)),
                    Map.entry(14, Field.of("imagePullPolicy", Type.STRING)),
                    Map.entry(16, Field.of("stdin", Type.BOOL)),
                    Map.entry(17, Field.of("stdinOnce", Type.BOOL)),
                    Map.entry(18, Field.of("tty", Type.BOOL)),
                    Map.entry(20, Field.of("terminationMessagePolicy", Type.STRING)));

    private static final Map<Integer, Field> POD_SPEC =
            Map.ofEntries(
                    Map.entry(2, Field.of("containers", Type.MESSAGE_LIST, CONTAINER)),
                    Map.entry(3, Field.of("restartPolicy", Type.STRING)),
                    Map.entry(4, Field.of("terminationGracePeriodSeconds", Type.INT)),
                    Map.entry(5, Field.of("activeDeadlineSeconds", Type.INT)),
                    Map.entry(6, Field.of("dnsPolicy", Type.STRING)),
                    Map.entry(7, Field.of("nodeSelector", Type.STRING_MAP)),
                    Map.entry(8, Field.of("serviceAccountName", Type.STRING)),
                    Map.entry(9, Field.of("serviceAccount", Type.STRING)),
                    Map.entry(10, Field.of("nodeName", Type.STRING)),
                    Map.entry(11, Field.of("hostNetwork", Type.BOOL)),
                    Map.entry(12, Field.of("hostPID", Type.BOOL)),
                    Map.entry(13, Field.of("hostIPC", Type.BOOL)),
                    Map.entry(16, Field.of("hostname", Type.STRING)),
                    Map.entry(17, Field.of("subdomain", Type.STRING)),
                    Map.entry(19, Field.of("schedulerName", Type.STRING)),
                    Map.entry(24, Field.of("priorityClassName", Type.STRING)));

    private static final Map<Integer, Field> LABEL_SELECTOR =
            Map.of(
                    1, Field.of("matchLabels", Type.STRING_MAP),
                    2,
                            Field.of(
                                    "matchExpressions",
                                    Type.MESSAGE_LIST,
                                    Map.of(
                                            1, Field.of("key", Type.STRING),
                                            2, Field.of("operator", Type.STRING),
                                            3, Field.of("values", Type.STRING_LIST))));

    private static final Map<Integer, Field> DEPLOYMENT_SPEC =
            Map.of(
                    1, Field.of("replicas", Type.INT),
                    2, Field.of("selector", Type.MESSAGE, LABEL_SELECTOR),
                    3,
                            Field.of(
                                    "template",
                                    Type.MESSAGE,
                                    Map.of(
                                            1, Field.of("metadata", Type.MESSAGE, OBJECT_META),
                                            2, Field.of("spec", Type.MESSAGE, POD_SPEC))),
                    4,
                            Field.of(
                                    "strategy",
                                    Type.MESSAGE,
                                    Map.of(
                                            1, Field.of("type", Type.STRING),
                                            2,
                                                    Field.of(
                                                            "rollingUpdate",
                                                            Type.MESSAGE,
                                                            Map.of(
                                                                    1,
                                                                    Field.of(
                                                                            "maxUnavailable",
                                                                            Type.INT_OR_STRING),
                                                                    2,
                                                                    Field.of(
                                                                            "maxSurge",
                                                                            Type.INT_OR_STRING))))),
                    5, Field.of("minReadySeconds", Type.INT),
                    6, Field.of("revisionHistoryLimit", Type.INT),
                    7, Field.of("paused", Type.BOOL),
                    9, Field.of("progressDeadlineSeconds", Type.INT));

    /** A status a client sends at create is ignored by the API server: read, then dropped. */
    private static final Map<Integer, Field> DEPLOYMENT_STATUS =
            Map.of(
                    1, Field.of("observedGeneration", Type.INT),
                    2, Field.of("replicas", Type.INT),
                    3, Field.of("updatedReplicas", Type.INT),
                    4, Field.of("availableReplicas", Type.INT),
                    5, Field.of("unavailableReplicas", Type.INT),
                    7, Field.of("readyReplicas", Type.INT),
                    8, Field.of("collisionCount", Type.INT));

    private static final Map<String, Map<Integer, Field>> KINDS =
            Map.of(
                    "Deployment",
                    Map.of(
                            1, Field.of("metadata", Type.MESSAGE, OBJECT_META),
                            2, Field.of("spec", Type.MESSAGE, DEPLOYMENT_SPEC),
                            3, Field.of("status", Type.MESSAGE, DEPLOYMENT_STATUS)),
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
                    // the body of a DELETE (Helm's uninstall sends it so)
                    "DeleteOptions",
                    Map.of(
                            1, Field.of("gracePeriodSeconds", Type.INT),
                            3, Field.of("orphanDependents", Type.BOOL),
                            4, Field.of("propagationPolicy", Type.STRING),
                            5, Field.of("dryRun", Type.STRING_LIST)),
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

    /** Plain (not pointer) numbers of the types read here, which Go's JSON omits when 0. */
    private static final java.util.Set<String> OMITTED_WHEN_ZERO =
            java.util.Set.of("generation", "hostPort", "minReadySeconds");

    /** Fields whose entries are user data, kept even when empty. */
    private static final java.util.Set<String> MAPS =
            java.util.Set.of(
                    "labels",
                    "annotations",
                    "data",
                    "binaryData",
                    "stringData",
                    "matchLabels",
                    "nodeSelector",
                    "limits",
                    "requests");

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
                    "the local runtime reads protobuf bodies of ConfigMap, Secret, Namespace,"
                            + " Deployment, SelfSubjectAccessReview and DeleteOptions only, not "
                            + (kind.isEmpty() ? "this body" : kind)
                            + "; send JSON (for kubectl: kubectl create ... --dry-run=client -o"
                            + " yaml | kubectl apply -f -)");
        }
        if (raw == null) {
            throw ApiException.badRequest("the protobuf envelope carries no object");
        }
        ObjectNode object = new Reader(raw, 0, raw.length).readMessage(schema, kind);
        // Go's protobuf writes every non-pointer field, empty ones too; its JSON omits them.
        object.remove("status");
        dropEmpty(object);
        ObjectNode result = JSON.objectNode();
        result.put("apiVersion", typeMeta.path("apiVersion").asText("v1"));
        result.put("kind", kind);
        result.setAll(object);
        return result;
    }

    /**
     * Removes empty strings, false booleans, plain numbers that are 0, and objects left empty, as
     * Go's {@code omitempty} does when the same object is sent as JSON. Map entries (labels, data)
     * are kept as sent.
     */
    private static void dropEmpty(ObjectNode object) {
        java.util.Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> fields =
                object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> field = fields.next();
            com.fasterxml.jackson.databind.JsonNode value = field.getValue();
            if (value instanceof ObjectNode child && !MAPS.contains(field.getKey())) {
                dropEmpty(child);
            } else if (value instanceof ArrayNode array) {
                array.forEach(
                        element -> {
                            if (element instanceof ObjectNode child) {
                                dropEmpty(child);
                            }
                        });
            }
            boolean empty =
                    (value.isTextual() && value.asText().isEmpty())
                            || (value.isContainerNode() && value.isEmpty())
                            || (OMITTED_WHEN_ZERO.contains(field.getKey())
                                    && value.isNumber()
                                    && value.asLong() == 0)
                            || (value.isBoolean()
                                    && !value.asBoolean()
                                    && !field.getKey().equals("immutable"));
            if (empty) {
                fields.remove();
            }
        }
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
                case QUANTITY_MAP -> {
                    ObjectNode entry =
                            sub().readMessage(
                                            Map.of(
                                                    1,
                                                    Field.of("key", Type.STRING),
                                                    2,
                                                    Field.of(
                                                            "value",
                                                            Type.MESSAGE,
                                                            Map.of(
                                                                    1,
                                                                    Field.of(
                                                                            "string",
                                                                            Type.STRING)))),
                                            what + "." + field.name());
                    ObjectNode map =
                            object.has(field.name())
                                    ? (ObjectNode) object.get(field.name())
                                    : object.putObject(field.name());
                    map.put(
                            entry.path("key").asText(""),
                            entry.path("value").path("string").asText(""));
                }
                case INT_OR_STRING -> {
                    ObjectNode value =
                            sub().readMessage(
                                            Map.of(
                                                    1, Field.of("type", Type.INT),
                                                    2, Field.of("intVal", Type.INT),
                                                    3, Field.of("strVal", Type.STRING)),
                                            what + "." + field.name());
                    if (value.path("type").asLong(0) == 1) {
                        object.put(field.name(), value.path("strVal").asText(""));
                    } else {
                        object.put(field.name(), value.path("intVal").asLong(0));
                    }
                }
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
