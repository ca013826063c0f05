package io.daskkubernetes.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code os.path.expandvars} applied to every string value of a parsed YAML tree, as
 * classic {@code KubeCluster.from_yaml} did through {@code
 * dask.config.expand_environment_variables}: {@code $VAR} and {@code ${VAR}} are replaced when VAR
 * is set and left as they are when it is not. Kubernetes' own {@code $(VAR)} references are not
 * touched.
 */
public final class EnvironmentExpansion {

    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+|\\{[^}]*\\})");

    private EnvironmentExpansion() {}

    public static String expand(String text, Map<String, String> env) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            if (name.startsWith("{")) {
                name = name.substring(1, name.length() - 1);
            }
            String value = env.get(name);
            matcher.appendReplacement(
                    out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    public static Object expandAll(Object value, Map<String, String> env) {
        if (value instanceof String s) {
            return expand(s, env);
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) value)
                    .forEach((k, v) -> out.put(String.valueOf(k), expandAll(v, env)));
            return out;
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<Object>) value).forEach(v -> out.add(expandAll(v, env)));
            return out;
        }
        return value;
    }
}
