package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.client.OperatorKubeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * OperatorKubeCluster (core's client of the operator) against this operator on the local runtime:
 * real dask-scheduler and dask-worker processes, a real Python client, real kubectl. Each test
 * takes well under a minute on a quiet machine (the seed's array mean alone about 32 s); the time
 * limits leave room for shared, busy cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorKubeClusterEndToEndTest {

    private static final Path ARRAY_MEAN = Path.of("..", "examples", "array_mean.py");
    private static final Path SIMPLE_CLUSTER =
            Path.of("..", "examples", "operator", "simplecluster.yaml");
    private static final Duration PATIENCE = Duration.ofSeconds(50);

    private LocalKubernetes local;
    private DaskOperator operator;
    private Kubectl kubectl;

    @BeforeAll
    void startRuntimeAndOperator() {
        local = LocalKubernetes.builder().start();
        try {
            operator = DaskOperator.start(local.client(), Set.of(), true);
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
        kubectl = new Kubectl(local.kubeconfig());
        // kubectl's first call fills its discovery and OpenAPI cache: slow on busy cores, and not
        // the client's time
        kubectl.warmUp(SIMPLE_CLUSTER);
    }

    @AfterAll
    void stop() {
        try {
            if (operator != null) {
                operator.close();
            }
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }

    private OperatorKubeCluster.Builder cluster(String name) {
        return OperatorKubeCluster.builder()
                .kubernetesClient(local.client())
                .config(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                .namespace("default")
                .name(name)
                .closeAtExit(false);
    }

    @Test
    @Timeout(150)
    void aClusterFromANameAndAWorkerCountComputesTheSeedsArrayMeanAndCloseLeavesNothing() {
        try (OperatorKubeCluster cluster = cluster("java-mean").workers(2).start()) {
            assertThat(cluster.createdHere()).isTrue();
            cluster.waitForWorkers(2, PATIENCE);

            // the seed's da.ones((1000, 1000, 1000), chunks=(100, 100, 10)).mean(), from Python
            long started = System.nanoTime();
            String mean =
                    kubectl.exec(
                            List.of(
                                    // the seed's computation on a 200³ array: the full size
                                    // (32 s here) runs in the README's main command and its IT
                                    "/usr/bin/env",
                                    "DASK_EXAMPLE_SIZE=200",
                                    "/usr/bin/python3",
                                    ARRAY_MEAN.toString(),
                                    cluster.schedulerAddress()),
                            120);
            System.out.printf(
                    "array mean on 2 workers: %d ms%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            assertThat(mean.lines().reduce((a, b) -> b).orElse("")).isEqualTo("1.0");
            assertThat(cluster.dashboardLink()).startsWith("http://").endsWith("/status");
            assertThat(cluster.logs())
                    .containsKey("java-mean-scheduler")
                    .hasSizeGreaterThanOrEqualTo(3);
        }
        assertNothingLeftOf("java-mean");
    }

    @Test
    @Timeout(120)
    void scaleAdaptAWorkerGroupAndTheRenewedLeaseThenCloseLeavesNothing() {
        try (OperatorKubeCluster cluster =
                cluster("java-ops").workers(1).leaseDuration(Duration.ofSeconds(3)).start()) {
            ClusterLease first = ClusterLease.of(cluster.resource()).orElseThrow();
            assertThat(first.duration()).isEqualTo(Duration.ofSeconds(3));
            assertThat(first.holderIdentity()).endsWith("_" + ProcessHandle.current().pid());
            // renewed every second while the client lives
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> ClusterLease.of(cluster.resource()).orElseThrow().renewTime(),
                            (Instant renewed) -> renewed.isAfter(first.renewTime()));

            cluster.scale(2);
            cluster.waitForWorkers(2, PATIENCE);
            assertThat(jsonpath("daskworkergroup", "java-ops-default", "{.spec.worker.replicas}"))
                    .isEqualTo("2");
            assertThat(jsonpath("daskcluster", "java-ops", "{.spec.worker.replicas}"))
                    .isEqualTo("2");

            cluster.addWorkerGroup("extra", 1);
            cluster.waitForWorkers(3, PATIENCE);
            assertThat(cluster.workerGroups()).containsExactlyInAnyOrder("default", "extra");
            assertThat(
                            kubectl.run(
                                    "get",
                                    "pods",
                                    "-l",
                                    "dask.org/workergroup-name=java-ops-extra",
                                    "-o",
                                    "name"))
                    .contains("java-ops-extra-worker");

            cluster.adapt(1, 4);
            assertThat(
                            jsonpath(
                                    "daskautoscaler",
                                    "java-ops",
                                    "{.spec.cluster} {.spec.minimum} {.spec.maximum}"))
                    .isEqualTo("java-ops 1 4");
            cluster.adapt(2, 5);
            assertThat(jsonpath("daskautoscaler", "java-ops", "{.spec.minimum} {.spec.maximum}"))
                    .as("adapt again patches the same DaskAutoscaler")
                    .isEqualTo("2 5");

            cluster.deleteWorkerGroup("extra");
            await().atMost(PATIENCE)
                    .until(
                            () -> cluster.workerGroups(),
                            groups -> groups.equals(List.of("default")));
        }
        assertNothingLeftOf("java-ops");
        assertThat(kubectl.run("get", "daskautoscalers", "-o", "name")).isEmpty();
    }

    @Test
    @Timeout(120)
    void fromNameConnectsToAClusterMadeByKubectlAndCloseLeavesItRunning() {
        kubectl.run("apply", "-f", SIMPLE_CLUSTER.toString());
        try {
            try (OperatorKubeCluster simple = cluster("simple").connect()) {
                assertThat(simple.createdHere()).isFalse();
                simple.waitForWorkers(2, PATIENCE);
                assertThat(simple.schedulerClient().workers()).hasSize(2);
            }
            assertThat(jsonpath("daskcluster", "simple", "{.status.phase}")).isEqualTo("Running");
            assertThat(kubectl.run("get", "pod", "simple-scheduler", "-o", "name"))
                    .isEqualTo("pod/simple-scheduler");
            assertThat(
                            ClusterLease.of(
                                    local.client()
                                            .resources(DaskCluster.class)
                                            .inNamespace("default")
                                            .withName("simple")
                                            .get()))
                    .as("a cluster made by kubectl gets no lease from a client that connects")
                    .isEmpty();
        } finally {
            kubectl.run("delete", "daskcluster", "simple", "--wait=false");
            await().atMost(PATIENCE).until(() -> pods("simple").isEmpty());
        }
    }

    private String jsonpath(String kind, String name, String path) {
        return kubectl.run("get", kind, name, "-o", "jsonpath=" + path);
    }

    private String pods(String cluster) {
        return kubectl.run("get", "pods", "-l", "dask.org/cluster-name=" + cluster, "-o", "name");
    }

    private void assertNothingLeftOf(String cluster) {
        assertThat(kubectl.run("get", "daskclusters", "-o", "name")).doesNotContain(cluster);
        assertThat(kubectl.run("get", "daskworkergroups", "-o", "name")).doesNotContain(cluster);
        assertThat(pods(cluster)).as("close() waits for the pods to be gone").isEmpty();
    }
}
