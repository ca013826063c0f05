package io.daskkubernetes.local.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options of a {@code pods/log} request ({@code container}, {@code follow}, {@code previous},
 * {@code tailLines}, {@code limitBytes}) and how they cut a log file.
 */
public record PodLogRequest(
        String namespace,
        String pod,
        String container,
        boolean follow,
        boolean previous,
        Integer tailLines,
        Long limitBytes) {

    public static boolean matches(ApiPath path) {
        return path.isCoreResource("pods")
                && path.name() != null
                && "log".equals(path.subresource());
    }

    public static PodLogRequest from(ApiPath path) {
        return new PodLogRequest(
                path.namespace(),
                path.name(),
                emptyToNull(path.query().get("container")),
                isTrue(path.query().get("follow")),
                isTrue(path.query().get("previous")),
                number(path, "tailLines").map(Long::intValue).orElse(null),
                number(path, "limitBytes").orElse(null));
    }

    private static java.util.Optional<Long> number(ApiPath path, String key) {
        String value = path.query().get(key);
        if (value == null || value.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new LogRequestException(
                        400,
                        key + ": Invalid value: " + value + ": must be greater than or equal to 0");
            }
            return java.util.Optional.of(parsed);
        } catch (NumberFormatException e) {
            throw new LogRequestException(
                    400, key + ": Invalid value: \"" + value + "\": must be a whole number");
        }
    }

    private static boolean isTrue(String value) {
        return QueryBoolean.isTrue(value);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * Byte offset at which the answer starts: the start of the last {@code tailLines} lines, or 0.
     */
    public long startOffset(Path file) {
        if (tailLines == null) {
            return 0;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            int end = bytes.length;
            // A final newline ends the last line; it does not start another one.
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
            }
            int lines = 0;
            for (int i = end - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    lines++;
                    if (lines == tailLines) {
                        return i + 1;
                    }
                }
            }
            return tailLines == 0 ? bytes.length : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer to a request that does not follow. */
    public byte[] read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int start = (int) Math.min(startOffset(file), bytes.length);
            int length = bytes.length - start;
            if (limitBytes != null) {
                length = (int) Math.min(length, limitBytes);
            }
            byte[] answer = new byte[length];
            System.arraycopy(bytes, start, answer, 0, length);
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
