package io.daskkubernetes.model;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dask-worker's {@code --memory-limit} as Dask reads it ({@code parse_memory_limit} and {@code
 * parse_bytes}): "auto", a fraction of the machine's memory (a number up to 1), "0" for no limit,
 * or a byte count with an optional unit (kB, MB, GB, KiB, MiB, GiB, k, M, G, Ki, ..., any case).
 * Note Dask reads a lone "m" as mega, where Kubernetes reads it as milli.
 */
final class DaskByteSize {

    private static final Map<String, Double> UNITS =
            Map.ofEntries(
                    Map.entry("", 1d),
                    Map.entry("b", 1d),
                    Map.entry("kb", 1e3),
                    Map.entry("mb", 1e6),
                    Map.entry("gb", 1e9),
                    Map.entry("tb", 1e12),
                    Map.entry("pb", 1e15),
                    Map.entry("k", 1e3),
                    Map.entry("m", 1e6),
                    Map.entry("g", 1e9),
                    Map.entry("t", 1e12),
                    Map.entry("p", 1e15),
                    Map.entry("kib", 0x1p10),
                    Map.entry("mib", 0x1p20),
                    Map.entry("gib", 0x1p30),
                    Map.entry("tib", 0x1p40),
                    Map.entry("pib", 0x1p50),
                    Map.entry("ki", 0x1p10),
                    Map.entry("mi", 0x1p20),
                    Map.entry("gi", 0x1p30),
                    Map.entry("ti", 0x1p40),
                    Map.entry("pi", 0x1p50));
    private static final Pattern PLAIN_NUMBER =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern SIZE = Pattern.compile("([0-9.eE+-]*)([A-Za-z]*)");

    private DaskByteSize() {}

    /**
     * The limit in bytes; empty when it depends on the machine ("auto", a fraction) or when there
     * is none ("0").
     *
     * @throws IllegalArgumentException when Dask could not read it either
     */
    static OptionalLong memoryLimit(String text) {
        String value = text.replace(" ", "");
        if (value.equalsIgnoreCase("auto")) {
            return OptionalLong.empty();
        }
        if (PLAIN_NUMBER.matcher(value).matches()) {
            double number = Double.parseDouble(value);
            return number <= 1 ? OptionalLong.empty() : OptionalLong.of((long) number);
        }
        return OptionalLong.of(parseBytes(value));
    }

    static long parseBytes(String text) {
        Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a byte size");
        }
        String number = matcher.group(1).isEmpty() ? "1" : matcher.group(1);
        Double unit = UNITS.get(matcher.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" has an unknown unit \"" + matcher.group(2) + "\"");
        }
        try {
            return (long) (Double.parseDouble(number) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" does not start with a number", e);
        }
    }
}
