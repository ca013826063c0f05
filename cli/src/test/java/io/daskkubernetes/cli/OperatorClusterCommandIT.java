package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daskkubernetes.cli.Launcher.Finished;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster --operator} on a {@code local --operator} runtime, both in the background as a
 * user with terminals would run them; then {@code list}, {@code scale}, {@code logs} and {@code
 * delete} on the DaskCluster it made, from other processes.
 */
class OperatorClusterCommandIT {

    private static final Duration READY = Duration.ofMinutes(3);
    private static final Duration COMMAND = Duration.ofSeconds(90);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path output;

    private LaunchedProcess local;
    private LaunchedProcess cluster;
    private final long started = System.nanoTime();

    @AfterEach
    void stopWhatIsLeft() {
        if (cluster != null) {
            cluster.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    void clusterDashDashOperatorMakesADaskClusterThatListScaleLogsAndDeleteActOn()
            throws Exception {
        local = Launcher.start(output, Map.of(), "local", "--operator");
        String kubeconfig = local.awaitKubeconfig(READY);
        step("local runtime with the operator up");

        cluster =
                Launcher.start(
                        output,
                        Map.of(),
                        "--kubeconfig",
                        kubeconfig,
                        "cluster",
                        "--operator",
                        "--name",
                        "cli-op",
                        "--workers",
                        "1",
                        "--env",
                        "CLI_ENV=from-cli");
        cluster.awaitStdoutLine(
                "its scheduler: line", line -> line.startsWith("scheduler: tcp://"), READY);
        cluster.awaitStderrLine(
                "its ready line", line -> line.contains("Cluster cli-op is ready"), READY);
        step("cluster ready");

        Finished table = kubernetes(kubeconfig, "list");
        assertThat(table.exitCode()).as(table.describe()).isZero();
        assertThat(table.stdoutLines())
                .as(table.describe())
                .anyMatch(
                        line ->
                                line.startsWith("cli-op ")
                                        && line.contains("Running")
                                        && line.endsWith("operator"));
        JsonNode listed = listJson(kubeconfig);
        assertThat(listed).as(listed.toString()).hasSize(1);
        assertThat(listed.get(0).get("kind").asText()).isEqualTo("operator");
        assertThat(listed.get(0).get("lease").asText())
                .as("the client renews its lease on the DaskCluster")
                .isEqualTo("held");
        step("listed");

        Finished scale = kubernetes(kubeconfig, "scale", "cli-op", "2");
        assertThat(scale.exitCode()).as(scale.describe()).isZero();
        assertThat(scale.stdout()).contains("DaskCluster cli-op scaled to 2 workers");
        await("list shows 2 running workers")
                .atMost(COMMAND)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            JsonNode now = listJson(kubeconfig);
                            assertThat(now.get(0).get("runningWorkers").asInt())
                                    .as(now.toString())
                                    .isEqualTo(2);
                        });
        step("scaled");

        Finished logs = kubernetes(kubeconfig, "logs", "cli-op");
        assertThat(logs.exitCode()).as(logs.describe()).isZero();
        assertThat(logs.stdout())
                .as(logs.describe())
                .contains("==> cli-op-scheduler <==")
                .contains("Scheduler at:");
        step("logs");

        Finished delete = kubernetes(kubeconfig, "delete", "cli-op");
        assertThat(delete.exitCode()).as(delete.describe()).isZero();
        assertThat(cluster.awaitExit(EXIT)).as(cluster.describe()).isZero();
        assertThat(cluster.stderr()).contains("DaskCluster cli-op was deleted elsewhere");
        assertThat(listJson(kubeconfig)).as("-o json list after delete").isEmpty();
        step("deleted; the cluster command exited");

        local.terminate();
        assertThat(local.awaitExit(EXIT)).as(local.describe()).isIn(0, 143);
    }

    private void step(String what) {
        System.out.printf(
                "OperatorClusterCommandIT %6.1f s  %s%n",
                (System.nanoTime() - started) / 1e9, what);
    }

    private JsonNode listJson(String kubeconfig) throws Exception {
        Finished list = kubernetes(kubeconfig, "-o", "json", "list");
        assertThat(list.exitCode()).as(list.describe()).isZero();
        JsonNode clusters = JSON.readTree(list.stdout());
        assertThat(clusters.isArray()).as(list.describe()).isTrue();
        return clusters;
    }

    private Finished kubernetes(String kubeconfig, String... arguments) {
        List<String> all = new ArrayList<>(List.of("--kubeconfig", kubeconfig));
        all.addAll(List.of(arguments));
        return Launcher.run(output, COMMAND, Map.of(), all.toArray(String[]::new));
    }
}
