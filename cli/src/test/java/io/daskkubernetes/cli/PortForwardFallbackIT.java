package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client outside the cluster, as on a laptop with a remote cluster whose scheduler Service is a
 * ClusterIP: the cluster IP does not route from where the client runs, so KubeCluster reaches the
 * scheduler through the API server's port-forward (fabric8's), and the user's Python computes
 * through the forwarded port.
 */
class PortForwardFallbackIT {

    private static final Duration READY = Duration.ofMinutes(2);
    private static final Duration COMMAND = Duration.ofMinutes(3);
    private static final Pattern SERVER =
            Pattern.compile("server\"?\\s*:\\s*\"?(https://[^\"\\s]+)");

    @TempDir Path output;

    private LaunchedProcess local;
    private OutsideNetwork outside;

    @AfterEach
    void stopWhatIsLeft() {
        if (outside != null) {
            outside.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    void aClientOutsideTheClusterComputesThroughAPortForward() throws Exception {
        local = Launcher.start(output, Map.of(), "local");
        String kubeconfig = local.awaitKubeconfig(READY);
        outside = OutsideNetwork.reachingApiServerAt(apiServerPort(Path.of(kubeconfig)));

        String runInside =
                String.join(" ", outside.commandPrefix())
                        + " bin/dask-kubernetes -v --kubeconfig "
                        + kubeconfig
                        + " run --spec examples/worker-spec.yml --workers 2"
                        // the forwarded port's listening socket, then the user's script
                        + " -- /bin/bash -c 'ss -Hltn \"sport = :${DASK_SCHEDULER_ADDRESS##*:}\";"
                        + " exec /usr/bin/python3 examples/array_mean.py'";
        Launcher.Finished run;
        try (LaunchedProcess client =
                Launcher.startBash(output, Map.of("DASK_EXAMPLE_SIZE", "200"), runInside)) {
            int exit = client.awaitExit(COMMAND);
            run = new Launcher.Finished(exit, client.stdout(), client.stderr());
        }

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).contains("1.0");
        assertThat(run.stderr())
                .as("the scheduler was reached through a port-forward, not its cluster IP")
                .contains("(port-forward)")
                .doesNotContain("(cluster IP)");
        assertThat(run.stdoutLines())
                .as("the forward listens on loopback only, not on every interface")
                .filteredOn(line -> line.startsWith("LISTEN"))
                .isNotEmpty()
                .allMatch(
                        line ->
                                line.split("\\s+")[3].matches(
                                        "(127\\.0\\.0\\.1|\\[::ffff:127\\.0\\.0\\.1]|\\[::1]):\\d+"));
    }

    private static int apiServerPort(Path kubeconfig) throws Exception {
        Matcher server = SERVER.matcher(Files.readString(kubeconfig));
        assertThat(server.find()).as("a server: line in " + kubeconfig).isTrue();
        URI uri = URI.create(server.group(1));
        assertThat(uri.getHost())
                .as("the runtime's API server listens on loopback")
                .isEqualTo("127.0.0.1");
        return uri.getPort();
    }
}
