package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.cli.Launcher.Finished;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tls} through the launcher on the local runtime: the scheduler refuses a plain {@code
 * tcp://} Python client, the command run by {@code run --tls} computes the seed's array mean with
 * the credentials it is given (files only its user can read, removed afterwards), and {@code
 * cluster --tls} says how to connect.
 */
class TlsCommandsIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Duration READY = Duration.ofMinutes(2);

    /**
     * Run by {@code run --tls}: where the client key is and its mode, what a plain TCP client
     * without credentials gets, then the seed's example (on a 200³ array) with the credentials.
     */
    private static final String CHILD =
            """
            echo "key $DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY"
            stat -c 'mode %a' "$DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY"
            echo "address $DASK_SCHEDULER_ADDRESS"
            env -u DASK_DISTRIBUTED__COMM__TLS__CA_FILE -u DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT \\
                -u DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY -u DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION \\
                /usr/bin/python3 -c '
            import sys, distributed
            try:
                distributed.Client(sys.argv[1], timeout="2s")
                print("plain tcp connected")
            except Exception as error:
                print("plain tcp refused", type(error).__name__)
            ' "tcp://${DASK_SCHEDULER_ADDRESS#tls://}"
            DASK_EXAMPLE_SIZE=200 /usr/bin/python3 examples/array_mean.py
            """;

    @TempDir Path output;

    private LaunchedProcess cluster;

    @AfterEach
    void stopWhatIsLeft() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void runTlsRefusesPlainTcpAndTheCredentialsComputeTheSeedsMean() {
        Finished run =
                Launcher.run(
                        output,
                        TIMEOUT,
                        "run",
                        "--local",
                        "--tls",
                        "--spec",
                        "examples/worker-spec.yml",
                        "--workers",
                        "2",
                        "--",
                        "/bin/bash",
                        "-c",
                        CHILD);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> lines = run.stdoutLines();
        assertThat(lines).as(run.describe()).anyMatch(line -> line.startsWith("address tls://"));
        assertThat(lines).as(run.describe()).contains("mode 600");
        assertThat(lines).as(run.describe()).anyMatch(line -> line.startsWith("plain tcp refused"));
        assertThat(lines).as(run.describe()).doesNotContain("plain tcp connected");
        assertThat(lines).as(run.describe()).contains("1.0");
        Path key =
                Path.of(
                        lines.stream()
                                .filter(line -> line.startsWith("key "))
                                .findFirst()
                                .orElseThrow()
                                .substring(4));
        assertThat(key).as("the client key is removed with the cluster").doesNotExist();
        assertThat(key.getParent()).doesNotExist();
    }

    @Test
    void clusterTlsPrintsHowToConnectAndRemovesTheFilesWhenItEnds() throws IOException {
        cluster =
                Launcher.start(
                        output,
                        Map.of(),
                        "cluster",
                        "--local",
                        "--tls",
                        "--spec",
                        "examples/worker-spec.yml",
                        "--workers",
                        "0");

        String scheduler =
                cluster.awaitStdoutLine(
                        "its scheduler: line", line -> line.startsWith("scheduler:"), READY);
        assertThat(scheduler).matches("scheduler: +tls://[0-9.]+:8786");
        String keyLine =
                cluster.awaitStdoutLine(
                        "the client key's export line",
                        line -> line.contains("export DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY="),
                        READY);
        Path key = Path.of(keyLine.substring(keyLine.indexOf('=') + 1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(key)).contains("BEGIN PRIVATE KEY");
        assertThat(cluster.stdout()).contains("kubectl get secret ").contains("-tls -n default");

        cluster.terminate();
        cluster.awaitExit(Duration.ofMinutes(1));

        assertThat(key.getParent()).as(cluster.describe()).doesNotExist();
    }
}
