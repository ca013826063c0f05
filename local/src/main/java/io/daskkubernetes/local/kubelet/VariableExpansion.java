package io.daskkubernetes.local.kubelet;

import java.util.function.Function;

/**
 * The kubelet's {@code $(VAR)} expansion of env values, command and args, rule for rule: {@code
 * $(NAME)} becomes the variable's value, {@code $$} becomes {@code $}, a reference to an unknown
 * variable and an unclosed {@code $(} stay as written, and a {@code $} before any other character
 * stays with it.
 */
public final class VariableExpansion {

    private static final char OPERATOR = '$';
    private static final char OPENER = '(';
    private static final char CLOSER = ')';

    private VariableExpansion() {}

    /**
     * @param lookup the value of a variable, or null when it is not defined
     */
    public static String expand(String input, Function<String, String> lookup) {
        if (input == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(input.length());
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) == OPERATOR && cursor + 1 < input.length()) {
                out.append(input, checkpoint, cursor);
                char next = input.charAt(cursor + 1);
                int advance = 1;
                if (next == OPERATOR) {
                    out.append(OPERATOR);
                } else if (next == OPENER) {
                    int closer = input.indexOf(CLOSER, cursor + 2);
                    if (closer < 0) {
                        out.append(OPERATOR).append(OPENER);
                    } else {
                        String name = input.substring(cursor + 2, closer);
                        String value = lookup.apply(name);
                        out.append(value != null ? value : OPERATOR + "" + OPENER + name + CLOSER);
                        advance = closer - cursor;
                    }
                } else {
                    out.append(OPERATOR).append(next);
                }
                cursor += advance;
                checkpoint = cursor + 1;
            }
        }
        return out.append(input, checkpoint, input.length()).toString();
    }
}
