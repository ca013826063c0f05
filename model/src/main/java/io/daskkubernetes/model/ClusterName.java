package io.daskkubernetes.model;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The cluster name from {@code kubernetes.name}: the template formatted with {@code {user}}, {@code
 * {uuid}} and every environment variable, then escaped as classic dask-kubernetes did (lower case,
 * only [a-z0-9-] kept). It must start with a letter (the Service is named after it) and leave room
 * for "-scheduler" and "-worker-xxxxx" in 63 characters.
 */
public final class ClusterName {

    public static final String CONFIG_KEY = "kubernetes.name";
    public static final int MAX_LENGTH = 53;

    private ClusterName() {}

    public static String resolve(
            String template, String user, String uuid, Map<String, String> env, String source) {
        if (template == null || template.isBlank()) {
            throw new SpecException(
                    source, CONFIG_KEY, "is empty", "use a template such as dask-{user}-{uuid}");
        }
        Map<String, String> values = new HashMap<>(env);
        values.put("user", user);
        values.put("uuid", uuid);
        String formatted;
        try {
            formatted = PythonFormat.format(template, values);
        } catch (IllegalArgumentException e) {
            throw new SpecException(
                    source,
                    CONFIG_KEY,
                    e.getMessage(),
                    "use {user}, {uuid} or a set environment variable, such as dask-{user}-{uuid}",
                    e);
        }
        String name = stripDashes(escape(formatted));
        if (name.isEmpty()) {
            throw new SpecException(
                    source,
                    CONFIG_KEY,
                    "\""
                            + template
                            + "\" gives \""
                            + formatted
                            + "\", which has no letter or digit left",
                    "use letters, digits and '-', such as dask-{user}-{uuid}");
        }
        if (!Character.isLetter(name.charAt(0))) {
            throw new SpecException(
                    source,
                    CONFIG_KEY,
                    "\""
                            + template
                            + "\" gives \""
                            + name
                            + "\", which does not start with a letter",
                    "start the template with a word, such as dask-{uuid}");
        }
        if (name.length() > MAX_LENGTH) {
            throw new SpecException(
                    source,
                    CONFIG_KEY,
                    "\""
                            + template
                            + "\" gives \""
                            + name
                            + "\", "
                            + name.length()
                            + " characters, more than "
                            + MAX_LENGTH,
                    "shorten the template so that names with -scheduler and -worker-xxxxx fit in 63 characters");
        }
        return name;
    }

    /** Classic dask-kubernetes' escape: keep ASCII letters, digits and '-', lower-cased. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-') {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static String stripDashes(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '-') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '-') {
            end--;
        }
        return name.substring(start, end);
    }
}
