package io.daskkubernetes.local.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A label selector with the whole grammar of Kubernetes ({@code k8s.io/apimachinery/pkg/labels}):
 * {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k},
 * {@code !k}, {@code k>1}, {@code k<1}, joined by commas. A selector that does not parse, or whose
 * keys or values are not valid labels, is refused with 400 before anything is acted on: a selector
 * we did not understand must never select everything.
 */
public final class LabelSelector {

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    enum Operator {
        EQUALS,
        NOT_EQUALS,
        IN,
        NOT_IN,
        EXISTS,
        DOES_NOT_EXIST,
        GREATER_THAN,
        LESS_THAN
    }

    record Requirement(String key, Operator operator, Set<String> values) {

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
                case GREATER_THAN, LESS_THAN -> compares(value);
            };
        }

        private boolean compares(String value) {
            if (value == null) {
                return false;
            }
            long label;
            try {
                label = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return false;
            }
            long bound = Long.parseLong(values.iterator().next());
            return operator == Operator.GREATER_THAN ? label > bound : label < bound;
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /**
     * @throws ApiException 400 naming what is wrong, as kube-apiserver words it
     */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        return new LabelSelector(new Parser(selector).parse());
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> present = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(r -> r.matches(present));
    }

    List<Requirement> requirements() {
        return requirements;
    }

    /** The lexer and recursive-descent parser of {@code labels.Parse}. */
    private static final class Parser {

        private enum Kind {
            IDENTIFIER,
            NOT,
            EQUALS,
            DOUBLE_EQUALS,
            NOT_EQUALS,
            OPEN,
            CLOSE,
            COMMA,
            GREATER,
            LESS,
            IN,
            NOT_IN,
            END
        }

        private record Token(Kind kind, String text) {
            String describe() {
                return kind == Kind.END ? "end of string" : "'" + text + "'";
            }
        }

        private final String input;
        private final List<Token> tokens = new ArrayList<>();
        private int next;

        Parser(String input) {
            this.input = input;
            lex();
        }

        private void lex() {
            int i = 0;
            while (i < input.length()) {
                char c = input.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '!' && i + 1 < input.length() && input.charAt(i + 1) == '=') {
                    tokens.add(new Token(Kind.NOT_EQUALS, "!="));
                    i += 2;
                } else if (c == '=' && i + 1 < input.length() && input.charAt(i + 1) == '=') {
                    tokens.add(new Token(Kind.DOUBLE_EQUALS, "=="));
                    i += 2;
                } else if ("!=(),><".indexOf(c) >= 0) {
                    Kind kind =
                            switch (c) {
                                case '!' -> Kind.NOT;
                                case '=' -> Kind.EQUALS;
                                case '(' -> Kind.OPEN;
                                case ')' -> Kind.CLOSE;
                                case ',' -> Kind.COMMA;
                                case '>' -> Kind.GREATER;
                                default -> Kind.LESS;
                            };
                    tokens.add(new Token(kind, String.valueOf(c)));
                    i++;
                } else {
                    int start = i;
                    while (i < input.length()
                            && !Character.isWhitespace(input.charAt(i))
                            && "!=(),><".indexOf(input.charAt(i)) < 0) {
                        i++;
                    }
                    String word = input.substring(start, i);
                    Kind kind =
                            switch (word) {
                                case "in" -> Kind.IN;
                                case "notin" -> Kind.NOT_IN;
                                default -> Kind.IDENTIFIER;
                            };
                    tokens.add(new Token(kind, word));
                }
            }
            tokens.add(new Token(Kind.END, ""));
        }

        private Token peek() {
            return tokens.get(next);
        }

        private Token consume() {
            Token token = tokens.get(next);
            if (token.kind() != Kind.END) {
                next++;
            }
            return token;
        }

        List<Requirement> parse() {
            List<Requirement> requirements = new ArrayList<>();
            while (true) {
                requirements.add(requirement());
                Token after = consume();
                if (after.kind() == Kind.END) {
                    return requirements;
                }
                if (after.kind() != Kind.COMMA) {
                    throw error("found " + after.describe() + ", expected: ',' or 'end of string'");
                }
            }
        }

        private Requirement requirement() {
            Token first = consume();
            if (first.kind() == Kind.NOT) {
                Token key = consume();
                if (key.kind() != Kind.IDENTIFIER) {
                    throw error("found " + key.describe() + ", expected: identifier");
                }
                return requirement(key.text(), Operator.DOES_NOT_EXIST, Set.of());
            }
            if (first.kind() != Kind.IDENTIFIER) {
                throw error(
                        "found "
                                + first.describe()
                                + ", expected: !, identifier, or 'end of string'");
            }
            String key = first.text();
            Token operator = peek();
            if (operator.kind() == Kind.END || operator.kind() == Kind.COMMA) {
                return requirement(key, Operator.EXISTS, Set.of());
            }
            consume();
            return switch (operator.kind()) {
                case EQUALS, DOUBLE_EQUALS ->
                        requirement(key, Operator.EQUALS, Set.of(singleValue()));
                case NOT_EQUALS -> requirement(key, Operator.NOT_EQUALS, Set.of(singleValue()));
                case GREATER, LESS -> {
                    String bound = singleValue();
                    if (!bound.matches("-?[0-9]+")) {
                        throw error(
                                "for 'Gt', 'Lt' operators, the value must be an integer, got '"
                                        + bound
                                        + "'");
                    }
                    yield requirement(
                            key,
                            operator.kind() == Kind.GREATER
                                    ? Operator.GREATER_THAN
                                    : Operator.LESS_THAN,
                            Set.of(bound));
                }
                case IN, NOT_IN ->
                        requirement(
                                key,
                                operator.kind() == Kind.IN ? Operator.IN : Operator.NOT_IN,
                                valueSet());
                default ->
                        throw error(
                                "found "
                                        + operator.describe()
                                        + ", expected: "
                                        + "'=', '!=', '==', 'in', 'notin', '>' or '<'");
            };
        }

        private String singleValue() {
            Token value = peek();
            if (value.kind() == Kind.END || value.kind() == Kind.COMMA) {
                return "";
            }
            consume();
            if (value.kind() != Kind.IDENTIFIER
                    && value.kind() != Kind.IN
                    && value.kind() != Kind.NOT_IN) {
                throw error("found " + value.describe() + ", expected: identifier");
            }
            return value.text();
        }

        private Set<String> valueSet() {
            Token open = consume();
            if (open.kind() != Kind.OPEN) {
                throw error("found " + open.describe() + ", expected: '('");
            }
            Set<String> values = new LinkedHashSet<>();
            boolean expectValue = true;
            while (true) {
                Token token = consume();
                switch (token.kind()) {
                    case IDENTIFIER, IN, NOT_IN -> {
                        if (!expectValue) {
                            throw error("found " + token.describe() + ", expected: ',' or ')'");
                        }
                        values.add(token.text());
                        expectValue = false;
                    }
                    case COMMA -> {
                        if (expectValue) {
                            values.add("");
                        }
                        expectValue = true;
                    }
                    case CLOSE -> {
                        if (expectValue && !values.isEmpty()) {
                            values.add("");
                        }
                        if (values.isEmpty()) {
                            throw error("for 'in', 'notin' operators, values set can't be empty");
                        }
                        return values;
                    }
                    default ->
                            throw error(
                                    "found "
                                            + token.describe()
                                            + ", expected: ',', ')' or identifier");
                }
            }
        }

        private Requirement requirement(String key, Operator operator, Set<String> values) {
            validateKey(key);
            for (String value : values) {
                validateValue(key, value);
            }
            return new Requirement(key, operator, values);
        }

        private void validateKey(String key) {
            String name = key;
            int slash = key.lastIndexOf('/');
            if (slash >= 0) {
                String prefix = key.substring(0, slash);
                name = key.substring(slash + 1);
                if (prefix.isEmpty()
                        || prefix.length() > 253
                        || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                    throw error(
                            "key: Invalid value: \""
                                    + key
                                    + "\": prefix part must be a lowercase DNS subdomain");
                }
            }
            if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
                throw error(
                        "key: Invalid value: \""
                                + key
                                + "\": name part must consist of alphanumeric characters, '-', '_'"
                                + " or '.', and must start and end with an alphanumeric character"
                                + " (at most 63 characters)");
            }
        }

        private void validateValue(String key, String value) {
            if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
                throw error(
                        "values["
                                + key
                                + "]: Invalid value: \""
                                + value
                                + "\": a valid label must be an empty string or consist of"
                                + " alphanumeric characters, '-', '_' or '.', and must start and"
                                + " end with an alphanumeric character (at most 63 characters)");
            }
        }

        private ApiException error(String detail) {
            return ApiException.badRequest(
                    "unable to parse requirement: "
                            + detail
                            + " (labelSelector \""
                            + input
                            + "\")");
        }
    }
}
