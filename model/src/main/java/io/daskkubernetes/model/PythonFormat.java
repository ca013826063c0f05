package io.daskkubernetes.model;

import java.util.Map;

/**
 * Python's {@code str.format} with named fields only, which is what Dask's name and dashboard
 * templates use: {@code {field}} is replaced, {@code {{} and {@code }}} are literal braces.
 */
final class PythonFormat {

    private PythonFormat() {}

    /**
     * @throws IllegalArgumentException naming the field when the template uses an unknown or
     *     positional field or has an unmatched brace
     */
    static String format(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                out.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                out.append('}');
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException(
                            "\"" + template + "\" has a '{' without its '}'");
                }
                String field = template.substring(i + 1, end);
                if (field.isEmpty() || Character.isDigit(field.charAt(0))) {
                    throw new IllegalArgumentException(
                            "\"" + template + "\" has a positional field {" + field + "}");
                }
                String value = values.get(field);
                if (value == null) {
                    throw new IllegalArgumentException(
                            "\""
                                    + template
                                    + "\" uses {"
                                    + field
                                    + "}, which is neither a known field "
                                    + "nor an environment variable");
                }
                out.append(value);
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException(
                        "\"" + template + "\" has a '}' without its '{'");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
