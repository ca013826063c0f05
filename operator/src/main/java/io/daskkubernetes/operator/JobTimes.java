package io.daskkubernetes.operator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Times in a DaskJob's status as upstream writes them: UTC, {@code %Y-%m-%dT%H:%M:%SZ}. */
final class JobTimes {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private JobTimes() {}

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** A Kubernetes timestamp (RFC 3339) in upstream's form; {@code fallback} when absent. */
    static String fromKubernetes(String timestamp, Instant fallback) {
        if (timestamp == null) {
            return format(fallback);
        }
        try {
            return format(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return format(fallback);
        }
    }

    static Instant parse(String time) {
        return Instant.parse(time);
    }
}
