package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daskkubernetes.cli.Launcher.Finished;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code list}, {@code scale}, {@code logs} and {@code delete} against a cluster that a {@code
 * cluster} command runs on a {@code local} runtime, both in the background, as a user with three
 * terminals would. The cluster is started with {@code kubernetes.count.max} 3; the later commands
 * run with a broken {@code kubernetes.yaml} in their Dask configuration, which must not matter:
 * they act on what the cluster's owner says.
 */
class ClusterManagementIT {

    private static final Duration READY = Duration.ofMinutes(2);
    private static final Duration COMMAND = Duration.ofSeconds(90);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path output;
    @TempDir Path brokenDaskConfig;

    private LaunchedProcess local;
    private LaunchedProcess cluster;
    private final long started = System.nanoTime();

    @AfterEach
    void stopWhatIsLeft() {
        // The cluster before the runtime it runs on.
        if (cluster != null) {
            cluster.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    void listScaleLogsAndDeleteARunningClusterWhateverThisMachinesConfigSays() throws Exception {
        local = Launcher.start(output, Map.of(), "local");
        String kubeconfig = local.awaitKubeconfig(READY);
        assertThat(Path.of(kubeconfig)).isRegularFile();

        step("local runtime up");
        Files.writeString(
                brokenDaskConfig.resolve("kubernetes.yaml"), "kubernetes:\n  count: [unclosed\n");
        cluster =
                Launcher.start(
                        output,
                        Map.of("DASK_KUBERNETES__COUNT__MAX", "3"),
                        "--kubeconfig",
                        kubeconfig,
                        "cluster",
                        "--spec",
                        "examples/worker-spec.yml",
                        "--workers",
                        "1",
                        "--name",
                        "clitest-{uuid}");
        String name =
                cluster.awaitStdoutLine(
                                "its cluster: line", line -> line.startsWith("cluster:"), READY)
                        .split("\\s+")[1];
        assertThat(name)
                .as("the name template's {uuid} filled in")
                .matches("clitest-[a-z0-9-]{10}");
        cluster.awaitStderrLine(
                "its ready line", line -> line.contains("Cluster " + name + " is ready"), READY);
        step("cluster ready");
        RuntimeTraces traces = RuntimeTraces.observe(local.handle());

        Finished table = kubernetes(kubeconfig, "list");
        assertThat(table.exitCode()).as(table.describe()).isZero();
        assertThat(table.stdoutLines())
                .as(table.describe())
                .first()
                .asString()
                .startsWith("NAME")
                .contains("WORKERS");
        assertThat(table.stdoutLines())
                .as(table.describe())
                .anyMatch(line -> line.startsWith(name + " ") && line.contains("Running"));

        JsonNode clusters = listJson(kubeconfig);
        assertThat(clusters).as(clusters.toString()).hasSize(1);
        assertThat(clusters.get(0).get("name").asText()).isEqualTo(name);
        assertThat(clusters.get(0).get("workers").asInt()).isEqualTo(1);
        assertThat(clusters.get(0).get("schedulerAddressFromHere").asText())
                .as("an address that works from here, not the in-cluster name: %s", clusters)
                .startsWith("tcp://")
                .doesNotContain(name);

        step("listed");
        Finished broken = kubernetes(kubeconfig, "cluster", "--spec", "examples/worker-spec.yml");
        assertThat(broken.exitCode())
                .as(
                        "a command that starts a cluster does read the broken file: "
                                + broken.describe())
                .isNotZero();
        assertThat(broken.stderr()).as(broken.describe()).contains("kubernetes.yaml");
        Finished scale = kubernetes(kubeconfig, "scale", name, "2");
        assertThat(scale.exitCode()).as(scale.describe()).isZero();
        await("list shows 2 running workers")
                .atMost(COMMAND)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            JsonNode listed = listJson(kubeconfig);
                            assertThat(listed).as(listed.toString()).hasSize(1);
                            assertThat(listed.get(0).get("workers").asInt())
                                    .as(listed.toString())
                                    .isEqualTo(2);
                            assertThat(listed.get(0).get("runningWorkers").asInt())
                                    .as(listed.toString())
                                    .isEqualTo(2);
                        });

        step("scaled to 2 and listed");
        Finished aboveMax = kubernetes(kubeconfig, "scale", name, "5");
        assertThat(aboveMax.exitCode()).as(aboveMax.describe()).isZero();
        assertThat(aboveMax.stdout()).as(aboveMax.describe()).contains("scaled to 3 workers");
        assertThat(aboveMax.stderr())
                .as(aboveMax.describe())
                .containsOnlyOnce("kubernetes.count.max is 3");
        await("list shows 3 workers, the cluster's count.max")
                .atMost(COMMAND)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            JsonNode listed = listJson(kubeconfig);
                            assertThat(listed.get(0).get("workers").asInt())
                                    .as(listed.toString())
                                    .isEqualTo(3);
                        });
        step("scale above count.max clamped to 3");
        Finished logs = kubernetes(kubeconfig, "logs", name);
        assertThat(logs.exitCode()).as(logs.describe()).isZero();
        assertThat(logs.stdout())
                .as(logs.describe())
                .contains("==> " + name + "-scheduler <==")
                .contains("Scheduler at:");

        step("logs");
        Finished delete = kubernetes(kubeconfig, "delete", name);
        assertThat(delete.exitCode()).as(delete.describe()).isZero();
        step("deleted");
        Finished afterDelete = kubernetes(kubeconfig, "list");
        assertThat(afterDelete.exitCode()).as(afterDelete.describe()).isZero();
        assertThat(afterDelete.stdout()).as(afterDelete.describe()).doesNotContain(name);
        assertThat(listJson(kubeconfig)).as("-o json list after delete").isEmpty();

        step("deleted and listed");
        // The cluster it held was deleted from outside: the command ends by itself, without error,
        // and says so, however its looks and the deletion interleave.
        assertThat(cluster.awaitExit(EXIT)).as(cluster.describe()).isZero();
        assertThat(cluster.stderr())
                .as(cluster.describe())
                .contains("Cluster " + name + " was deleted elsewhere; closing")
                .doesNotContain("\tat ");
        step("cluster command exited");
        local.terminate();
        assertThat(local.awaitExit(EXIT)).as(local.describe()).isIn(0, 143);
        step("local runtime exited");
        traces.assertNothingLeft(name);
        assertThat(Path.of(kubeconfig)).as("the runtime's kubeconfig goes with it").doesNotExist();
    }

    /** Where the minute goes: printed to the test's output. */
    private void step(String what) {
        System.out.printf(
                "ClusterManagementIT %6.1f s  %s%n", (System.nanoTime() - started) / 1e9, what);
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
        return Launcher.run(output, COMMAND, brokenConfig(), all.toArray(String[]::new));
    }

    /** A Dask configuration whose kubernetes.yaml is not valid YAML. */
    private Map<String, String> brokenConfig() {
        return Map.of("DASK_CONFIG", brokenDaskConfig.toString());
    }
}
