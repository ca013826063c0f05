package io.daskkubernetes.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Trees of maps, lists and scalars as YAML and JSON parsers give them: the one recursive walk that
 * copies, freezes or rewrites them. Keys come out as strings, map order is kept.
 */
public final class YamlTrees {

    private YamlTrees() {}

    /** A deep copy the caller may change. */
    public static Object copy(Object tree) {
        return rebuild(tree, UnaryOperator.identity(), false);
    }

    /** A deep copy no one can change, safe to hand out from an immutable object. */
    public static Object freeze(Object tree) {
        return rebuild(tree, UnaryOperator.identity(), true);
    }

    /** A deep copy with {@code scalar} applied to every value that is neither a map nor a list. */
    public static Object mapScalars(Object tree, UnaryOperator<Object> scalar) {
        return rebuild(tree, scalar, false);
    }

    @SuppressWarnings("unchecked")
    private static Object rebuild(Object value, UnaryOperator<Object> scalar, boolean frozen) {
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<Object, Object>) value)
                    .forEach((k, v) -> copy.put(String.valueOf(k), rebuild(v, scalar, frozen)));
            return frozen ? Collections.unmodifiableMap(copy) : copy;
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            ((List<Object>) value).forEach(v -> copy.add(rebuild(v, scalar, frozen)));
            return frozen ? Collections.unmodifiableList(copy) : copy;
        }
        return scalar.apply(value);
    }
}
