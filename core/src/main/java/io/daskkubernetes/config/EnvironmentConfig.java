package io.daskkubernetes.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dask's {@code collect_env}: {@code DASK_KUBERNETES__COUNT__MAX=10} sets {@code
 * kubernetes.count.max} to the integer 10 ({@code DASK_} prefix dropped, {@code __} nests, names
 * lower-cased, values read as Python literals).
 */
final class EnvironmentConfig {

    private static final String PREFIX = "DASK_";

    private EnvironmentConfig() {}

    /** The dotted key a variable sets, or null when the variable is not configuration. */
    static String keyOf(String variable) {
        if (!variable.startsWith(PREFIX) || variable.length() == PREFIX.length()) {
            return null;
        }
        // These two say where configuration files are, they are not configuration themselves.
        if (variable.equals("DASK_CONFIG") || variable.equals("DASK_ROOT_CONFIG")) {
            return null;
        }
        return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace("__", ".");
    }

    /** The configuration the environment sets, with each key's variable in {@code origins}. */
    static Map<String, Object> collect(Map<String, String> env, Map<String, String> origins) {
        Map<String, Object> tree = new LinkedHashMap<>();
        // sorted so that the outcome does not depend on the environment's hash order
        for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
            String key = keyOf(entry.getKey());
            if (key == null) {
                continue;
            }
            ConfigTree.put(tree, ConfigTree.split(key), PythonLiteral.parse(entry.getValue()));
            origins.put(key, "environment variable " + entry.getKey());
        }
        return tree;
    }
}
