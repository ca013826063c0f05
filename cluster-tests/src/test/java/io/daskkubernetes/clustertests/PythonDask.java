package io.daskkubernetes.clustertests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client's side: a real Python Dask ({@code DASK_KUBERNETES_TEST_PYTHON}, default Debian's
 * /usr/bin/python3) run as a child process.
 */
final class PythonDask {

    /** The seed's computation: prints 1.0 when the cluster works. */
    static final String SEED_MEAN =
            """
            import sys
            import dask.array as da
            from dask.distributed import Client
            with Client(sys.argv[1], timeout="60s") as client:
                client.wait_for_workers(int(sys.argv[2]), timeout=300)
                print(da.ones((1000, 1000, 1000), chunks=(100, 100, 10)).mean().compute())
            """;

    private PythonDask() {}

    static String python() {
        String python = System.getenv("DASK_KUBERNETES_TEST_PYTHON");
        return python == null || python.isBlank() ? "/usr/bin/python3" : python;
    }

    /**
     * The local distributed's version without a distribution's suffix (2022.12.1+ds.1 → 2022.12.1).
     */
    static String distributedVersion() {
        return run(
                        Duration.ofMinutes(1),
                        "-c",
                        "import distributed; print(distributed.__version__)")
                .strip()
                .replaceAll("\\+.*", "");
    }

    /** The seed's mean computed on the scheduler at {@code address} once it has {@code workers}. */
    static String seedMean(String address, int workers) {
        return run(Duration.ofMinutes(6), "-c", SEED_MEAN, address, Integer.toString(workers))
                .strip();
    }

    private static String run(Duration timeout, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(python()));
        command.addAll(List.of(args));
        try {
            java.nio.file.Path output = java.nio.file.Files.createTempFile("python-dask-", ".out");
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(output.toFile())
                            .start();
            try {
                boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                String text = java.nio.file.Files.readString(output, StandardCharsets.UTF_8);
                if (!ended) {
                    throw new AssertionError("python did not end within " + timeout + ":\n" + text);
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError(
                            "python exited with " + process.exitValue() + ":\n" + text);
                }
                return text.lines().reduce((first, second) -> second).orElse("");
            } finally {
                process.destroyForcibly();
                java.nio.file.Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
