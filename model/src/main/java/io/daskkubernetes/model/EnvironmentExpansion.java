package io.daskkubernetes.model;

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

    /** Expands every string in a tree of maps and lists (a parsed YAML template). */
    public static Object expandAll(Object tree, Map<String, String> env) {
        return YamlTrees.mapScalars(tree, v -> v instanceof String s ? expand(s, env) : v);
    }
}
