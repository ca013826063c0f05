package io.daskkubernetes.local.api;

import java.util.Optional;
import java.util.Set;

/**
 * A boolean query parameter as kube-apiserver reads it (Go's {@code strconv.ParseBool}): {@code 1},
 * {@code t}, {@code T}, {@code true}, {@code True}, {@code TRUE} and their false twins; the
 * official Python client sends {@code True}.
 */
final class QueryBoolean {

    private static final Set<String> TRUE = Set.of("1", "t", "T", "true", "True", "TRUE");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "false", "False", "FALSE");

    private QueryBoolean() {}

    /** True only for a value that reads as true; absent and malformed values are false. */
    static boolean isTrue(String value) {
        return value != null && TRUE.contains(value);
    }

    /**
     * @throws ApiException 400 for a value that is neither true nor false
     */
    static Optional<Boolean> parse(String name, String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isEmpty()) {
            // "?watch" alone: kube-apiserver's query decoder reads an empty value as absent.
            return Optional.empty();
        }
        if (TRUE.contains(value)) {
            return Optional.of(true);
        }
        if (FALSE.contains(value)) {
            return Optional.of(false);
        }
        throw ApiException.badRequest(
                name
                        + ": Invalid value: \""
                        + value
                        + "\": must be a boolean (true, false, 1, 0, True, False)");
    }
}
