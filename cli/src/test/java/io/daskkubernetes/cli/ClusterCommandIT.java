package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster --local}: a cluster in the foreground; SIGTERM closes it and leaves nothing
 * behind.
 */
class ClusterCommandIT {

    private static final Duration READY = Duration.ofMinutes(2);
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir Path output;

    private LaunchedProcess cluster;

    @AfterEach
    void stopWhatIsLeft() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sigtermClosesTheClusterAndTheRuntimeAndLeavesNothingBehind() {
        cluster =
                Launcher.start(
                        output,
                        Map.of(),
                        "cluster",
                        "--local",
                        "--spec",
                        "examples/worker-spec.yml",
                        "--workers",
                        "1");

        String scheduler =
                cluster.awaitStdoutLine(
                        "its scheduler: line", line -> line.startsWith("scheduler:"), READY);
        assertThat(scheduler).matches("scheduler: +tcp://[0-9.]+:8786");
        String ready =
                cluster.awaitStderrLine(
                        "its ready line", line -> line.contains(" is ready"), READY);
        String name =
                cluster.awaitStdoutLine(
                                "its cluster: line", line -> line.startsWith("cluster:"), READY)
                        .split("\\s+")[1];
        assertThat(ready).contains("Cluster " + name + " is ready");
        assertThat(cluster.stderr()).contains("workers registered: 1/1");
        RuntimeTraces traces = RuntimeTraces.observe(cluster.handle());
        assertThat(traces.podCommands())
                .as("the scheduler and the worker run")
                .anyMatch(command -> command.contains("dask-scheduler"))
                .anyMatch(command -> command.contains("dask-worker") && command.contains(name));

        cluster.terminate();
        int exit = cluster.awaitExit(EXIT);

        assertThat(exit)
                .as("SIGTERM ends it like Ctrl-C, not as a failure\n" + cluster.describe())
                .isIn(0, 143);
        traces.assertNothingLeft(name);
        // Cleanly: the cluster closed before the runtime it runs on, so no step of the closing
        // failed.
        assertThat(cluster.stderr())
                .as("closing reported no problem")
                .doesNotContain("while shutting down");
    }

    /**
     * Ctrl-C while the command waits for workers (here: workers that never register) stops it as a
     * user expects: no error about the clients it closed under itself, nothing left behind.
     */
    @Test
    void ctrlCWhileWaitingForWorkersStopsQuietlyAndLeavesNothingBehind() throws Exception {
        Path spec =
                Files.writeString(
                        output.resolve("never-registers.yml"),
                        """
                        kind: Pod
                        spec:
                          containers:
                          - name: dask-worker
                            image: daskdev/dask:latest
                            args: [sleep, "600"]
                        """);
        cluster =
                Launcher.start(
                        output,
                        Map.of(),
                        "cluster",
                        "--local",
                        "--spec",
                        spec.toString(),
                        "--workers",
                        "2",
                        "--timeout",
                        "120");
        String name =
                cluster.awaitStdoutLine(
                                "its cluster: line", line -> line.startsWith("cluster:"), READY)
                        .split("\\s+")[1];
        cluster.awaitStderrLine(
                "the wait for workers", line -> line.contains("workers registered: 0/2"), READY);
        RuntimeTraces traces = RuntimeTraces.observe(cluster.handle());

        cluster.interrupt();
        int exit = cluster.awaitExit(EXIT);

        assertThat(exit).as("stopped by Ctrl-C\n" + cluster.describe()).isEqualTo(130);
        assertThat(cluster.stderr())
                .as("no internal error after Ctrl-C\n" + cluster.describe())
                .doesNotContain("error:")
                .doesNotContain("is closed")
                .contains("interrupted");
        traces.assertNothingLeft(name);
    }
}
