package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daskkubernetes.cli.Launcher.Finished;
import io.daskkubernetes.model.DaskLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cluster} command watches the cluster it holds, and {@code scale} commands converge,
 * all through the real launcher against a {@code local} runtime in another process, as a user with
 * several terminals would see them.
 */
class ClusterWatchIT {

    private static final Duration READY = Duration.ofMinutes(1);
    private static final Duration COMMAND = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path output;

    private LaunchedProcess local;
    private LaunchedProcess cluster;
    private final List<LaunchedProcess> others = new ArrayList<>();
    private KubernetesClient kubernetes;
    private String kubeconfig;
    private String name;

    @AfterEach
    void stopWhatIsLeft() {
        others.forEach(LaunchedProcess::close);
        if (kubernetes != null) {
            kubernetes.close();
        }
        // The cluster before the runtime it runs on.
        if (cluster != null) {
            cluster.close();
        }
        if (local != null) {
            local.close();
        }
    }

    /**
     * Seven JVMs at once are the load here: the workers are cheap pods that never register, so that
     * scaling down deletes them without retiring (retiring is shown by ConvergentScalerTest).
     */
    @Test
    void sevenOverlappingScaleCommandsEndAtTheLastOnesCount() throws Exception {
        Path sleepers = output.resolve("sleepers.yml");
        Files.writeString(
                sleepers,
                "kind: Pod\nspec:\n  restartPolicy: Never\n  containers:\n"
                        + "  - name: sleeper\n    image: busybox\n    args: [sleep, '600']\n");
        startCluster(sleepers.toString(), 0);
        List<Integer> requests = List.of(5, 2, 6, 1, 4, 6, 3);

        for (int workers : requests) {
            others.add(kubernetesCommand("scale", name, String.valueOf(workers)));
            Thread.sleep(700); // the spacing between commands, not a wait for anything
        }
        for (LaunchedProcess scale : others) {
            assertThat(scale.awaitExit(COMMAND)).as(scale.describe()).isZero();
        }
        await("list shows 3 workers")
                .atMost(COMMAND)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            JsonNode listed = listJson();
                            assertThat(listed.get(0).get("workers").asInt())
                                    .as(listed.toString())
                                    .isEqualTo(3);
                        });
        assertThat(others.get(others.size() - 1).stdout())
                .as("the last command says what it did")
                .contains("scaled to 3 workers");
        assertThat(workerPods()).as("worker pods a moment later: still the last count").hasSize(3);
        assertThat(cluster.stderr()).doesNotContain("Lost ");
    }

    @Test
    void lostWorkersAreReplacedAndALostSchedulerEndsTheCommandWithOneClearLine() {
        startClusterWithWorkers(2);
        Set<String> before = workerPods();
        assertThat(before).hasSize(2);
        String lost = before.iterator().next();

        kubernetes.pods().inNamespace("default").withName(lost).delete();

        cluster.awaitStderrLine(
                "the lost worker reported",
                line -> line.contains("Lost 1 worker(s)") && line.contains(lost),
                COMMAND);
        await("a replacement worker pod")
                .atMost(COMMAND)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(workerPods()).hasSize(2).doesNotContain(lost));

        long deleted = System.nanoTime();
        kubernetes.pods().inNamespace("default").withName(name + "-scheduler").delete();
        int exit = cluster.awaitExit(Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - deleted) / 1e9;
        System.out.printf("ClusterWatchIT: exited %.1f s after its scheduler pod went%n", seconds);

        // Ended within the 30 s awaited above; how soon is printed, not asserted (a figure of
        // this machine's load, not of the code).
        assertThat(exit).as(cluster.describe()).isEqualTo(1);
        List<String> errors =
                cluster.stderr().lines().filter(line -> line.startsWith("error:")).toList();
        assertThat(errors)
                .as(cluster.describe())
                .singleElement()
                .asString()
                .contains("scheduler pod " + name + "-scheduler")
                .contains("closing what is left");
        assertThat(cluster.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        await("the rest of the cluster closed")
                .atMost(COMMAND)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(workerPods()).isEmpty());
        assertThat(kubernetes.configMaps().inNamespace("default").withName(name).get())
                .as("its owner")
                .isNull();
    }

    @Test
    void theCommandEndsWithinSecondsWhenItsKubernetesIsKilled() {
        startClusterWithWorkers(1);
        RuntimeTraces.observe(local.handle());

        long killed = System.nanoTime();
        local.handle().destroyForcibly();
        int exit = cluster.awaitExit(Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - killed) / 1e9;
        System.out.printf("ClusterWatchIT: exited %.1f s after its runtime was killed%n", seconds);

        // Bounded by the 30 s awaited above; how soon (3.3 s on a loaded machine) is printed.
        assertThat(exit).as(cluster.describe()).isEqualTo(1);
        List<String> errors =
                cluster.stderr().lines().filter(line -> line.startsWith("error:")).toList();
        assertThat(errors)
                .as(cluster.describe())
                .singleElement()
                .asString()
                .contains("stopped answering")
                .contains(name);
        assertThat(cluster.stderr())
                .as("one line, no stack trace, no failed clean-up")
                .doesNotContain("\tat ")
                .doesNotContain("while shutting down");
    }

    @Test
    void listShowsAClusterWhoseSchedulerPodWasDeletedAsSuch() throws Exception {
        startClusterWithWorkers(0);
        // Its command killed, nobody holds the cluster; then its scheduler pod goes.
        cluster.handle().destroyForcibly();
        cluster.awaitExit(COMMAND);
        kubernetes.pods().inNamespace("default").withName(name + "-scheduler").delete();
        await("the scheduler pod gone")
                .atMost(COMMAND)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () ->
                                kubernetes
                                                .pods()
                                                .inNamespace("default")
                                                .withName(name + "-scheduler")
                                                .get()
                                        == null);

        JsonNode listed = listJson();

        assertThat(listed).as(listed.toString()).hasSize(1);
        assertThat(listed.get(0).get("schedulerPhase").asText())
                .as(listed.toString())
                .isEqualTo("Missing");
        Finished table = run("list");
        assertThat(table.stdoutLines())
                .as(table.describe())
                .anyMatch(line -> line.startsWith(name + " ") && line.contains("Missing"));
        Finished delete = run("delete", name);
        assertThat(delete.exitCode()).as(delete.describe()).isZero();
    }

    /** A local runtime, then a cluster on it held open by a {@code cluster} command. */
    private void startClusterWithWorkers(int workers) {
        startCluster("examples/worker-spec.yml", workers);
    }

    private void startCluster(String spec, int workers) {
        local = Launcher.start(output, Map.of(), "local");
        kubeconfig = local.awaitKubeconfig(READY);
        kubernetes = LaunchedProcess.clientOf(kubeconfig);
        cluster =
                Launcher.start(
                        output,
                        Map.of(),
                        "--kubeconfig",
                        kubeconfig,
                        "cluster",
                        "--spec",
                        spec,
                        "--workers",
                        String.valueOf(workers),
                        "--name",
                        "watch-{uuid}");
        name =
                cluster.awaitStdoutLine(
                                "its cluster: line", line -> line.startsWith("cluster:"), READY)
                        .split("\\s+")[1];
        cluster.awaitStderrLine(
                "its ready line", line -> line.contains("Cluster " + name + " is ready"), READY);
    }

    private Set<String> workerPods() {
        return kubernetes
                .pods()
                .inNamespace("default")
                .withLabel(DaskLabels.CLUSTER_NAME, name)
                .withLabel(DaskLabels.COMPONENT, DaskLabels.COMPONENT_WORKER)
                .list()
                .getItems()
                .stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(pod -> !"Succeeded".equals(phase(pod)) && !"Failed".equals(phase(pod)))
                .map(pod -> pod.getMetadata().getName())
                .collect(Collectors.toSet());
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private JsonNode listJson() throws Exception {
        Finished list = run("-o", "json", "list");
        assertThat(list.exitCode()).as(list.describe()).isZero();
        return JSON.readTree(list.stdout());
    }

    private Finished run(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--kubeconfig", kubeconfig));
        all.addAll(List.of(arguments));
        return Launcher.run(output, COMMAND, Map.of(), all.toArray(String[]::new));
    }

    private LaunchedProcess kubernetesCommand(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--kubeconfig", kubeconfig));
        all.addAll(List.of(arguments));
        return Launcher.start(output, Map.of(), all.toArray(String[]::new));
    }
}
