package io.daskkubernetes.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The seed's first best practice, checked: scheduler, workers and client should run the same
 * versions of the packages that must match. Dask's own client warns the same way, but only once
 * work is sent; this says it as soon as the workers are there.
 */
public final class VersionComparison {

    /** The packages whose versions must match, as Dask's client checks them. */
    public static final List<String> PACKAGES =
            List.of("python", "dask", "distributed", "msgpack", "cloudpickle", "toolz", "lz4");

    private VersionComparison() {}

    /**
     * One line per package whose version differs among the processes, each naming every version and
     * where it runs, such as {@code distributed: scheduler 2022.12.1, tcp://10.244.0.7:40000
     * 2099.1.0}; empty when all agree.
     *
     * @param versionsByProcess package versions by process ("scheduler", a worker's address...), in
     *     the order to show them
     */
    public static List<String> differences(Map<String, Map<String, String>> versionsByProcess) {
        List<String> lines = new ArrayList<>();
        for (String pkg : PACKAGES) {
            Map<String, String> seen = new LinkedHashMap<>();
            versionsByProcess.forEach(
                    (process, versions) -> {
                        if (versions.containsKey(pkg)) {
                            seen.put(process, Objects.toString(versions.get(pkg), "not installed"));
                        }
                    });
            if (seen.values().stream().distinct().count() > 1) {
                List<String> parts = new ArrayList<>();
                seen.forEach((process, version) -> parts.add(process + " " + version));
                lines.add(pkg + ": " + String.join(", ", parts));
            }
        }
        return lines;
    }
}
