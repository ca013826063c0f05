package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daskkubernetes.cli.Launcher.Finished;
import io.daskkubernetes.model.ClusterLease;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code cluster} command killed with SIGKILL on a standalone {@code local} runtime (no shutdown
 * hook runs, nothing is closed) leaves no compute behind: with an 8 s lease and a 5 s idle timeout,
 * the cluster lives on while its client renews the lease, and once the client is gone its scheduler
 * stops itself, its workers follow, {@code list} calls it expired and {@code gc} deletes it.
 */
class ClientDeathIT {

    private static final Duration READY = Duration.ofMinutes(2);
    private static final Duration COMMAND = Duration.ofSeconds(60);
    // 8 s rather than 5: renewals must get through on a machine shared with parallel builds.
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path output;

    private LaunchedProcess local;
    private LaunchedProcess cluster;
    private KubernetesClient kubernetes;
    private final long started = System.nanoTime();

    @AfterEach
    void stopWhatIsLeft() {
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    void aKilledClientsClusterStopsWithinLeasePlusIdleTimeoutAndGcDeletesIt() throws Exception {
        local = Launcher.start(output, Map.of(), "local");
        String kubeconfig = local.awaitKubeconfig(READY);
        kubernetes = LaunchedProcess.clientOf(kubeconfig);
        step("local runtime up");
        String name = startCluster(kubeconfig);
        cluster.awaitStderrLine(
                "its ready line", line -> line.contains("Cluster " + name + " is ready"), READY);
        step("cluster ready");

        Duration quietLonger = LEASE.plus(IDLE_TIMEOUT).plusSeconds(1);
        try {
            await("the idle cluster of a live client keeps running")
                    .during(quietLonger)
                    .atMost(quietLonger.plusSeconds(10))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> runningPods(name).size() == 2);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    e.getMessage()
                            + "\n--- scheduler log ---\n"
                            + kubernetes
                                    .pods()
                                    .inNamespace("default")
                                    .withName(name + "-scheduler")
                                    .getLog()
                            + "\n"
                            + cluster.describe(),
                    e);
        }
        ClusterLease held =
                ClusterLease.of(kubernetes.configMaps().inNamespace("default").withName(name).get())
                        .orElseThrow();
        assertThat(held.expired(Instant.now()))
                .as("the live client renews the lease: %s\n%s", held, cluster.describe())
                .isFalse();
        step("still running, idle, after lease + idle timeout with its client alive");

        cluster.handle().destroyForcibly(); // SIGKILL: no shutdown hook, no close()
        assertThat(cluster.handle().onExit().get().isAlive()).isFalse();
        long killed = System.nanoTime();
        step("client JVM killed with SIGKILL");

        await("no pod of the killed client's cluster running")
                .atMost(LEASE.plus(IDLE_TIMEOUT).plusSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> runningPods(name).isEmpty());
        double stoppedAfter = (System.nanoTime() - killed) / 1e9;
        step(String.format("no pod running %.1f s after the kill", stoppedAfter));
        assertThat(
                        kubernetes
                                .pods()
                                .inNamespace("default")
                                .withLabel("dask.org/cluster-name", name)
                                .list()
                                .getItems())
                .as("the pods ended (restartPolicy Never), they were not deleted")
                .isNotEmpty()
                .allSatisfy(
                        pod -> assertThat(pod.getStatus().getPhase()).isIn("Succeeded", "Failed"));

        Finished table = kubernetesCommand(kubeconfig, "list");
        assertThat(table.exitCode()).as(table.describe()).isZero();
        assertThat(table.stdoutLines().get(0)).as(table.describe()).contains("LEASE");
        int leaseColumn = table.stdoutLines().get(0).indexOf("LEASE");
        assertThat(table.stdoutLines())
                .as(table.describe())
                .anyMatch(
                        line ->
                                line.startsWith(name + " ")
                                        && line.length() > leaseColumn
                                        && line.substring(leaseColumn).startsWith("expired"));
        assertThat(lease(kubeconfig, name)).isEqualTo("expired");
        step("list shows it expired");

        Finished dryRun = kubernetesCommand(kubeconfig, "gc", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.describe()).isZero();
        assertThat(dryRun.stdout()).as(dryRun.describe()).contains("would delete cluster " + name);
        assertThat(kubernetes.configMaps().inNamespace("default").withName(name).get())
                .as("--dry-run deletes nothing")
                .isNotNull();

        Finished gc = kubernetesCommand(kubeconfig, "gc");
        assertThat(gc.exitCode()).as(gc.describe()).isZero();
        assertThat(gc.stdout()).as(gc.describe()).contains("deleted cluster " + name);
        assertThat(kubernetes.configMaps().inNamespace("default").withName(name).get()).isNull();
        assertThat(
                        kubernetes
                                .pods()
                                .inNamespace("default")
                                .withLabel("dask.org/cluster-name", name)
                                .list()
                                .getItems())
                .isEmpty();
        step("gc deleted it");
    }

    /**
     * Starts the {@code cluster} command and returns the cluster's name; again, at most twice, when
     * it exits because the runtime's API did not answer its 4 s reachability check (a machine
     * shared with parallel builds), which is not what is tested here.
     */
    private String startCluster(String kubeconfig) {
        for (int attempt = 1; ; attempt++) {
            cluster =
                    Launcher.start(
                            output,
                            Map.of(
                                    "DASK_KUBERNETES__LEASE_DURATION",
                                    LEASE.toSeconds() + "s",
                                    "DASK_KUBERNETES__IDLE_TIMEOUT",
                                    String.valueOf(IDLE_TIMEOUT.toSeconds())),
                            "--kubeconfig",
                            kubeconfig,
                            "cluster",
                            "--spec",
                            "examples/worker-spec.yml",
                            "--workers",
                            "1",
                            "--name",
                            "leasetest-{uuid}");
            try {
                return cluster.awaitStdoutLine(
                                "its cluster: line", line -> line.startsWith("cluster:"), READY)
                        .split("\\s+")[1];
            } catch (AssertionError e) {
                if (attempt == 3
                        || cluster.handle().isAlive()
                        || !cluster.stderr().contains("did not answer within")) {
                    throw e;
                }
                step("API did not answer the cluster command's reachability check; again");
                cluster.close();
            }
        }
    }

    private List<Pod> runningPods(String name) {
        return kubernetes
                .pods()
                .inNamespace("default")
                .withLabel("dask.org/cluster-name", name)
                .list()
                .getItems()
                .stream()
                .filter(pod -> pod.getStatus() != null)
                .filter(pod -> "Running".equals(pod.getStatus().getPhase()))
                .toList();
    }

    private String lease(String kubeconfig, String name) throws Exception {
        Finished list = kubernetesCommand(kubeconfig, "-o", "json", "list");
        assertThat(list.exitCode()).as(list.describe()).isZero();
        for (JsonNode cluster : JSON.readTree(list.stdout())) {
            if (cluster.get("name").asText().equals(name)) {
                return cluster.get("lease").asText();
            }
        }
        throw new AssertionError("cluster " + name + " not listed: " + list.describe());
    }

    /**
     * Runs a command; again, at most twice, when the runtime's API did not answer the command's 4 s
     * reachability check (a machine shared with parallel builds), which is not what is tested here.
     */
    private Finished kubernetesCommand(String kubeconfig, String... arguments) {
        List<String> all = new ArrayList<>(List.of("--kubeconfig", kubeconfig));
        all.addAll(List.of(arguments));
        Finished finished = Launcher.run(output, COMMAND, all.toArray(String[]::new));
        for (int retry = 0;
                retry < 2
                        && finished.exitCode() != 0
                        && finished.stderr().contains("did not answer within");
                retry++) {
            step("API did not answer the reachability check; running again: " + all);
            finished = Launcher.run(output, COMMAND, all.toArray(String[]::new));
        }
        return finished;
    }

    private void step(String what) {
        System.out.printf("ClientDeathIT %6.1f s  %s%n", (System.nanoTime() - started) / 1e9, what);
    }
}
