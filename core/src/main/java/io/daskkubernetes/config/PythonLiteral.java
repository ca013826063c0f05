package io.daskkubernetes.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.regex.Pattern;

/**
 * Reads an environment variable's value the way Dask does ({@code ast.literal_eval}, falling back
 * to the plain string): {@code None}, {@code True}/{@code False}, numbers, quoted strings, lists,
 * tuples and dicts become values; anything else stays a string. Containers are read with a YAML
 * flow parser after Python's keywords are translated.
 */
final class PythonLiteral {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(_\\d+)*");
    private static final Pattern FLOAT =
            Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][+-]?\\d+)?");
    private static final YAMLMapper YAML = new YAMLMapper();

    private PythonLiteral() {}

    static Object parse(String text) {
        String value = text.strip();
        switch (value) {
            case "None":
                return null;
            case "True":
                return true;
            case "False":
                return false;
            default:
                break;
        }
        if (INTEGER.matcher(value).matches()) {
            return integer(value.replace("_", ""));
        }
        if (FLOAT.matcher(value).matches()) {
            return Double.parseDouble(value);
        }
        if (isQuoted(value)) {
            return unquote(value);
        }
        if (value.startsWith("[") || value.startsWith("{") || value.startsWith("(")) {
            return container(value, text);
        }
        return text;
    }

    private static Object integer(String digits) {
        long number = Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
        if (number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) {
            return (int) number;
        }
        return number;
    }

    private static boolean isQuoted(String value) {
        if (value.length() < 2) {
            return false;
        }
        char quote = value.charAt(0);
        if ((quote != '\'' && quote != '"') || value.charAt(value.length() - 1) != quote) {
            return false;
        }
        // 'a' 'b' or 'a', 'b' is not a single string literal
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return false;
            }
        }
        return true;
    }

    private static String unquote(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                char next = value.charAt(++i);
                switch (next) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '\\', '\'', '"' -> out.append(next);
                    default -> out.append('\\').append(next);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A list, tuple or dict; a value Python could not read stays the original string, as in Dask.
     */
    private static Object container(String value, String original) {
        String flow = translateKeywords(value);
        if (flow == null) {
            return original;
        }
        try {
            return YAML.readValue(flow, Object.class);
        } catch (JsonProcessingException notALiteral) {
            return original;
        }
    }

    /**
     * None/True/False outside quotes become null/true/false, and tuple brackets become list ones.
     * Null when an unquoted word is left, which Python would not read as a literal ({uuid}).
     */
    private static String translateKeywords(String value) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == '\\' && i + 1 < value.length()) {
                    out.append(value.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                out.append(c);
            } else if (c == '(') {
                out.append('[');
            } else if (c == ')') {
                out.append(']');
            } else if (Character.isLetter(c)
                    && (i == 0 || !Character.isLetterOrDigit(value.charAt(i - 1)))) {
                int end = i;
                while (end < value.length()
                        && (Character.isLetterOrDigit(value.charAt(end))
                                || value.charAt(end) == '_')) {
                    end++;
                }
                String word = value.substring(i, end);
                switch (word) {
                    case "None" -> out.append("null");
                    case "True" -> out.append("true");
                    case "False" -> out.append("false");
                    default -> {
                        return null;
                    }
                }
                i = end - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
