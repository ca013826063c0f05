package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strategic merge patch for the core types, as kubectl sends it ({@code set image}, {@code apply},
 * {@code patch} without {@code --type}): maps merge as in a JSON merge patch, and the lists that
 * carry a {@code patchMergeKey} in Kubernetes' types merge element by element on that key
 * (containers, env, volumes and volume mounts by name or path, ports by port or containerPort,
 * conditions by type, owner references by uid...) instead of being replaced; finalizers merge as a
 * set. The directives {@code $patch: replace|delete|merge}, {@code $deleteFromPrimitiveList/},
 * {@code $setElementOrder/} and {@code $retainKeys} are understood.
 */
final class StrategicMergePatch {

    /** The patchMergeKey of each list field of the core types (by field name). */
    private static final Map<String, String> MERGE_KEYS =
            Map.ofEntries(
                    Map.entry("containers", "name"),
                    Map.entry("initContainers", "name"),
                    Map.entry("ephemeralContainers", "name"),
                    Map.entry("env", "name"),
                    Map.entry("volumes", "name"),
                    Map.entry("volumeMounts", "mountPath"),
                    Map.entry("volumeDevices", "devicePath"),
                    Map.entry("conditions", "type"),
                    Map.entry("imagePullSecrets", "name"),
                    Map.entry("ownerReferences", "uid"),
                    Map.entry("hostAliases", "ip"),
                    Map.entry("podIPs", "ip"),
                    Map.entry("topologySpreadConstraints", "topologyKey"),
                    Map.entry("resourceClaims", "name"),
                    Map.entry("ports", "port"));

    /** Lists of scalars with patchStrategy merge: the patch's values are added. */
    private static final Set<String> MERGED_SCALAR_LISTS = Set.of("finalizers");

    private static final String DIRECTIVE = "$patch";
    private static final String DELETE_FROM = "$deleteFromPrimitiveList/";
    private static final String ELEMENT_ORDER = "$setElementOrder/";
    private static final String RETAIN_KEYS = "$retainKeys";

    private StrategicMergePatch() {}

    /**
     * The patchMergeKey of a list field, for the OpenAPI schemas ({@code
     * x-kubernetes-patch-merge-key}); {@code containerPort} marks container ports.
     */
    static Optional<String> mergeKeyOf(String field, boolean containerPorts) {
        if (field.equals("ports")) {
            return Optional.of(containerPorts ? "containerPort" : "port");
        }
        return Optional.ofNullable(MERGE_KEYS.get(field));
    }

    static boolean isMergedScalarList(String field) {
        return MERGED_SCALAR_LISTS.contains(field);
    }

    /** The patched document; {@code target} is not modified. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            throw new IllegalArgumentException("a strategic merge patch must be a JSON object");
        }
        return mergeObject(target != null && target.isObject() ? target : null, (ObjectNode) patch);
    }

    private static JsonNode mergeObject(JsonNode target, ObjectNode patch) {
        String directive = patch.path(DIRECTIVE).asText("merge");
        switch (directive) {
            case "replace" -> {
                ObjectNode replacement = patch.deepCopy();
                replacement.remove(DIRECTIVE);
                return stripDirectives(replacement);
            }
            case "delete" -> {
                return null;
            }
            case "merge" -> {
                // the default
            }
            default ->
                    throw new IllegalArgumentException(
                            "unknown $patch directive \"" + directive + "\"");
        }
        ObjectNode result =
                target instanceof ObjectNode object
                        ? object.deepCopy()
                        : JsonNodeFactory.instance.objectNode();
        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain != null && retain.isArray()) {
            List<String> keep = new ArrayList<>();
            retain.forEach(key -> keep.add(key.asText()));
            result.retain(keep);
        }
        List<String> names = new ArrayList<>();
        patch.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = patch.get(name);
            if (name.equals(DIRECTIVE) || name.equals(RETAIN_KEYS)) {
                continue;
            }
            if (name.startsWith(ELEMENT_ORDER)) {
                continue;
            }
            if (name.startsWith(DELETE_FROM)) {
                String field = name.substring(DELETE_FROM.length());
                if (result.get(field) instanceof ArrayNode values && value.isArray()) {
                    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
                    values.forEach(
                            v -> {
                                if (!contains(value, v)) {
                                    kept.add(v);
                                }
                            });
                    result.set(field, kept);
                }
                continue;
            }
            if (value.isNull()) {
                result.remove(name);
            } else if (value.isObject()) {
                JsonNode merged = mergeObject(result.get(name), (ObjectNode) value);
                if (merged == null) {
                    result.remove(name);
                } else {
                    result.set(name, merged);
                }
            } else if (value.isArray()) {
                result.set(name, mergeList(name, result.get(name), (ArrayNode) value));
            } else {
                result.set(name, value.deepCopy());
            }
        }
        return result;
    }

    private static JsonNode mergeList(String field, JsonNode target, ArrayNode patch) {
        ArrayNode current =
                target instanceof ArrayNode array
                        ? array.deepCopy()
                        : JsonNodeFactory.instance.arrayNode();
        for (JsonNode element : patch) {
            if (element.isObject() && "replace".equals(element.path(DIRECTIVE).asText())) {
                // {"$patch": "replace"} as an element: the rest of the patch list replaces.
                ArrayNode replacement = JsonNodeFactory.instance.arrayNode();
                patch.forEach(
                        e -> {
                            if (!(e.isObject() && e.has(DIRECTIVE))) {
                                replacement.add(stripDirectives(e.deepCopy()));
                            }
                        });
                return replacement;
            }
        }
        if (MERGED_SCALAR_LISTS.contains(field)) {
            patch.forEach(
                    value -> {
                        if (!contains(current, value)) {
                            current.add(value.deepCopy());
                        }
                    });
            return current;
        }
        Optional<String> key = mergeKey(field, current, patch);
        if (key.isEmpty()) {
            ArrayNode replacement = JsonNodeFactory.instance.arrayNode();
            patch.forEach(e -> replacement.add(stripDirectives(e.deepCopy())));
            return replacement;
        }
        String mergeKey = key.get();
        for (JsonNode element : patch) {
            if (!element.isObject() || !element.has(mergeKey)) {
                throw new IllegalArgumentException(
                        "the elements of "
                                + field
                                + " must be objects with their merge key \""
                                + mergeKey
                                + "\"");
            }
            int index = indexOf(current, mergeKey, element.get(mergeKey));
            boolean delete = "delete".equals(element.path(DIRECTIVE).asText());
            if (delete) {
                if (index >= 0) {
                    current.remove(index);
                }
            } else if (index >= 0) {
                current.set(index, mergeObject(current.get(index), (ObjectNode) element));
            } else {
                current.add(mergeObject(null, (ObjectNode) element));
            }
        }
        return current;
    }

    /** Container ports merge on containerPort, Service ports on port. */
    private static Optional<String> mergeKey(String field, ArrayNode current, ArrayNode patch) {
        String key = MERGE_KEYS.get(field);
        if (key == null) {
            return Optional.empty();
        }
        if (field.equals("ports")) {
            boolean containerPorts = false;
            for (JsonNode element : current) {
                containerPorts |= element.has("containerPort");
            }
            for (JsonNode element : patch) {
                containerPorts |= element.has("containerPort");
            }
            return Optional.of(containerPorts ? "containerPort" : "port");
        }
        return Optional.of(key);
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode candidate = list.get(i).get(key);
            if (candidate != null && sameValue(candidate, value)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        return a.equals(b) || (a.isValueNode() && b.isValueNode() && a.asText().equals(b.asText()));
    }

    private static boolean contains(JsonNode list, JsonNode value) {
        for (JsonNode element : list) {
            if (sameValue(element, value)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode stripDirectives(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> directives = new ArrayList<>();
            object.fieldNames()
                    .forEachRemaining(
                            name -> {
                                if (name.startsWith("$")) {
                                    directives.add(name);
                                }
                            });
            object.remove(directives);
            object.forEach(StrategicMergePatch::stripDirectives);
        } else if (node instanceof ArrayNode array) {
            array.forEach(StrategicMergePatch::stripDirectives);
        }
        return node;
    }
}
