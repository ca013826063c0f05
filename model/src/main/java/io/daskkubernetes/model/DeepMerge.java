package io.daskkubernetes.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Classic dask-kubernetes' {@code _set_k8s_attribute} merge of extra configuration into a pod: maps
 * are merged key by key, lists are appended to, anything else is replaced.
 */
final class DeepMerge {

    private DeepMerge() {}

    /** A new tree: {@code base} with {@code overlay} merged in; neither argument is changed. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> result = (Map<String, Object>) YamlTrees.copy(base);
        for (Map.Entry<String, Object> entry : overlay.entrySet()) {
            Object current = result.get(entry.getKey());
            Object value = entry.getValue();
            if (current instanceof Map && value instanceof Map) {
                result.put(
                        entry.getKey(),
                        merge((Map<String, Object>) current, (Map<String, Object>) value));
            } else if (current instanceof List && value instanceof List) {
                List<Object> appended = new ArrayList<>((List<Object>) current);
                appended.addAll((List<Object>) YamlTrees.copy(value));
                result.put(entry.getKey(), appended);
            } else {
                result.put(entry.getKey(), YamlTrees.copy(value));
            }
        }
        return result;
    }
}
