package io.daskkubernetes.config;

import io.daskkubernetes.model.YamlTrees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operations on Dask's nested configuration maps. Like Dask, a key written with {@code _} and one
 * written with {@code -} name the same entry, and the spelling seen first is kept.
 */
final class ConfigTree {

    private ConfigTree() {}

    /** The spelling of {@code key} already present in {@code map}, or {@code key} itself. */
    static String canonicalKey(String key, Map<String, Object> map) {
        if (map.containsKey(key)) {
            return key;
        }
        String alternative = key.contains("_") ? key.replace('_', '-') : key.replace('-', '_');
        return map.containsKey(alternative) ? alternative : key;
    }

    static List<String> split(String dottedKey) {
        if (dottedKey == null || dottedKey.isBlank()) {
            throw new IllegalArgumentException(
                    "configuration key must not be empty; use a dotted key such as kubernetes.count.max");
        }
        return List.of(dottedKey.split("\\."));
    }

    /** Value at the dotted key; {@code found[0]} tells absent from null. */
    @SuppressWarnings("unchecked")
    static Object get(Map<String, Object> root, List<String> keys, boolean[] found) {
        Object current = root;
        for (String key : keys) {
            if (!(current instanceof Map)) {
                found[0] = false;
                return null;
            }
            Map<String, Object> map = (Map<String, Object>) current;
            String canonical = canonicalKey(key, map);
            if (!map.containsKey(canonical)) {
                found[0] = false;
                return null;
            }
            current = map.get(canonical);
        }
        found[0] = true;
        return current;
    }

    /**
     * Sets the value in a mutable tree, creating maps on the way (replacing scalars in the way).
     */
    @SuppressWarnings("unchecked")
    static void put(Map<String, Object> root, List<String> keys, Object value) {
        Map<String, Object> current = root;
        for (int i = 0; i < keys.size() - 1; i++) {
            String canonical = canonicalKey(keys.get(i), current);
            Object next = current.get(canonical);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                current.put(canonical, next);
            }
            current = (Map<String, Object>) next;
        }
        String last = keys.get(keys.size() - 1);
        current.put(canonicalKey(last, current), YamlTrees.copy(value));
    }

    /** Removes the entry, if any, from a mutable tree. */
    @SuppressWarnings("unchecked")
    static void remove(Map<String, Object> root, List<String> keys) {
        Map<String, Object> current = root;
        for (int i = 0; i < keys.size() - 1; i++) {
            Object next = current.get(canonicalKey(keys.get(i), current));
            if (!(next instanceof Map)) {
                return;
            }
            current = (Map<String, Object>) next;
        }
        current.remove(canonicalKey(keys.get(keys.size() - 1), current));
    }

    /**
     * Dask's {@code update}: maps are merged key by key, anything else in {@code overlay} replaces
     * what is in {@code base}. {@code base} is changed in place.
     */
    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> base, Map<String, Object> overlay) {
        for (Map.Entry<String, Object> entry : overlay.entrySet()) {
            String key = canonicalKey(entry.getKey(), base);
            Object existing = base.get(key);
            if (existing instanceof Map && entry.getValue() instanceof Map) {
                merge((Map<String, Object>) existing, (Map<String, Object>) entry.getValue());
            } else {
                base.put(key, YamlTrees.copy(entry.getValue()));
            }
        }
    }

    /** Every leaf of the tree as a dotted key; empty maps count as leaves. */
    @SuppressWarnings("unchecked")
    static List<String> leafKeys(Map<String, Object> map, String prefix) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            String key = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            if (entry.getValue() instanceof Map && !((Map<?, ?>) entry.getValue()).isEmpty()) {
                keys.addAll(leafKeys((Map<String, Object>) entry.getValue(), key));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }
}
