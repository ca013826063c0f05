package io.daskkubernetes.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dask's {@code parse_timedelta}: a number of seconds, or a number with a unit ("300s", "5
 * minutes", "1h").
 */
public final class DaskDuration {

    private static final Pattern TEXT =
            Pattern.compile("([0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\\s*([a-zA-Z]*)");
    private static final Map<String, Double> SECONDS_PER_UNIT =
            Map.ofEntries(
                    Map.entry("", 1d),
                    Map.entry("s", 1d),
                    Map.entry("second", 1d),
                    Map.entry("seconds", 1d),
                    Map.entry("ms", 1e-3),
                    Map.entry("millisecond", 1e-3),
                    Map.entry("milliseconds", 1e-3),
                    Map.entry("us", 1e-6),
                    Map.entry("microsecond", 1e-6),
                    Map.entry("microseconds", 1e-6),
                    Map.entry("ns", 1e-9),
                    Map.entry("nanosecond", 1e-9),
                    Map.entry("nanoseconds", 1e-9),
                    Map.entry("m", 60d),
                    Map.entry("min", 60d),
                    Map.entry("minute", 60d),
                    Map.entry("minutes", 60d),
                    Map.entry("h", 3600d),
                    Map.entry("hr", 3600d),
                    Map.entry("hour", 3600d),
                    Map.entry("hours", 3600d),
                    Map.entry("d", 86400d),
                    Map.entry("day", 86400d),
                    Map.entry("days", 86400d),
                    Map.entry("w", 604800d),
                    Map.entry("week", 604800d),
                    Map.entry("weeks", 604800d));

    private DaskDuration() {}

    /**
     * @throws IllegalArgumentException when Dask could not read it either
     */
    public static Duration parse(Object value) {
        if (value instanceof Number number) {
            return ofSeconds(number.doubleValue(), value);
        }
        Matcher matcher = TEXT.matcher(String.valueOf(value).strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("\"" + value + "\" is not a duration");
        }
        Double unit = SECONDS_PER_UNIT.get(matcher.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw new IllegalArgumentException(
                    "\"" + value + "\" has an unknown unit \"" + matcher.group(2) + "\"");
        }
        return ofSeconds(Double.parseDouble(matcher.group(1)) * unit, value);
    }

    private static Duration ofSeconds(double seconds, Object original) {
        if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(
                    "\"" + original + "\" is not a duration of zero or more seconds");
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
