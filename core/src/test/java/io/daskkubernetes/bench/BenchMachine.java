package io.daskkubernetes.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/** The machine line every benchmark writes beside its figures. */
final class BenchMachine {

    private BenchMachine() {}

    static String describe() {
        long memoryGiB =
                ((com.sun.management.OperatingSystemMXBean)
                                        ManagementFactory.getOperatingSystemMXBean())
                                .getTotalMemorySize()
                        >> 30;
        return Runtime.getRuntime().availableProcessors()
                + " cores ("
                + cpuModel()
                + "), "
                + memoryGiB
                + " GiB, "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.version")
                + ", JDK "
                + System.getProperty("java.version")
                + ". Date: "
                + LocalDate.now()
                + ".";
    }

    /**
     * A file of the project, whether the benchmark runs from the project root (exec:java) or from a
     * module.
     */
    static Path projectFile(String relative) {
        for (Path candidate : List.of(Path.of(relative), Path.of("..", relative))) {
            if (Files.isReadable(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("cannot find " + relative + "; run from the project root");
    }

    /** A test resource as a file. */
    static Path resource(String name) {
        try {
            return Path.of(BenchMachine.class.getResource("/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no test resource " + name, e);
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /** The median of measured values; a missing sample (negative) is refused, never averaged in. */
    static long median(List<Long> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException(
                    "median of " + values + ": leave out rounds that missed the event");
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
