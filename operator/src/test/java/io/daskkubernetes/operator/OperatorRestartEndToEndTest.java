package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.daskkubernetes.local.LocalKubernetes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The operator as a process of its own, killed with SIGKILL and started again: while a cluster
 * runs, and in the middle of a scale-down. The restarted operator adopts what exists (no duplicate
 * pods) and converges to the desired count, and a Dask client's 50 persisted results survive, each
 * computed once. Upstream's simplecluster.yaml, real kubectl and real Dask.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorRestartEndToEndTest {

    private static final Path MANIFESTS = Path.of("..", "examples", "operator");
    private static final Duration PATIENCE = Duration.ofSeconds(70);
    private static final String WORKERS = "dask.org/workergroup-name=simple-default";

    private LocalKubernetes local;
    private Kubectl kubectl;
    private OperatorChildProcess operator;
    private PersistedResults results;

    @BeforeAll
    void startRuntimeAndOperatorProcess() {
        local = LocalKubernetes.builder().start();
        try {
            CustomResourceDefinitions.install(local.client());
            kubectl = new Kubectl(local.kubeconfig());
            // kubectl's first apply fetches discovery and OpenAPI: done here, once, untimed
            kubectl.warmUp(MANIFESTS.resolve("simplecluster.yaml"));
            operator = OperatorChildProcess.start(local.kubeconfig(), PATIENCE);
        } catch (RuntimeException | AssertionError e) {
            local.close();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        try {
            if (results != null) {
                results.close();
            }
            if (operator != null) {
                operator.close();
            }
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }

    @Test
    @Order(1)
    @Timeout(90)
    void aClusterOfTwoWorkersRunsAndHoldsFiftyResults() {
        kubectl.run("apply", "-f", MANIFESTS.resolve("simplecluster.yaml").toString());

        await().atMost(PATIENCE)
                .until(
                        () ->
                                kubectl.run(
                                        "get",
                                        "daskcluster",
                                        "simple",
                                        "-o",
                                        "jsonpath={.status.phase}"),
                        "Running"::equals);
        awaitWorkers(2);
        PersistedResults.Started persisted =
                PersistedResults.persist("tcp://" + serviceIp() + ":8786", PATIENCE);
        results = persisted.client();
        assertThat(persisted.report().path("persisted").asInt()).isEqualTo(PersistedResults.COUNT);
        assertThat(persisted.report().path("workers").asInt()).isGreaterThan(1);
    }

    @Test
    @Order(2)
    @Timeout(90)
    void killedWhileTheClusterRunsTheRestartedOperatorAdoptsEveryPod() {
        List<String> before = workerPods();
        String scheduler = schedulerUid();

        operator.kill();
        assertThat(operator.exitValue()).isEqualTo(137); // 128 + SIGKILL
        // asked for while no operator runs: the new one must add exactly one worker
        kubectl.run("scale", "daskworkergroup", "simple-default", "--replicas=3");
        operator = OperatorChildProcess.start(local.kubeconfig(), PATIENCE);

        awaitWorkers(3);
        assertThat(workerPods()).containsAll(before);
        assertThat(schedulerUid()).isEqualTo(scheduler);
        // and no duplicate is made afterwards
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> workerPods().size() == 3);
    }

    @Test
    @Order(3)
    @Timeout(90)
    void killedInTheMiddleOfAScaleDownItConvergesAndNoResultIsLost() {
        List<String> before = workerPods();
        kubectl.run("scale", "daskworkergroup", "simple-default", "--replicas=1");
        // the scheduler has retired the workers it chose; their pods are being deleted
        operator.awaitLine("retired [", PATIENCE);
        operator.kill();

        operator = OperatorChildProcess.start(local.kubeconfig(), PATIENCE);

        awaitWorkers(1);
        assertThat(before).containsAll(workerPods());
        await().atMost(PATIENCE)
                .until(
                        () ->
                                kubectl.run(
                                        "get",
                                        "daskworkergroup",
                                        "simple-default",
                                        "-o",
                                        "jsonpath={.status.replicas}"),
                        "1"::equals);
        JsonNode check = results.check(Duration.ofSeconds(20));
        assertThat(check.path("correct").asBoolean()).as("%s", check).isTrue();
        assertThat(check.path("computedOnce").asInt())
                .as("%s", check)
                .isEqualTo(PersistedResults.COUNT);
        assertThat(check.path("computedMoreThanOnce").asInt()).isZero();
    }

    private void awaitWorkers(int count) {
        await().atMost(PATIENCE)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> workerPods().size() == count && registeredWorkers() == count);
    }

    private int registeredWorkers() {
        String out =
                kubectl.exec(
                        List.of(
                                "/usr/bin/python3",
                                "-c",
                                "from dask.distributed import Client\n"
                                        + "c = Client('tcp://"
                                        + serviceIp()
                                        + ":8786', timeout=10)\n"
                                        + "print(len(c.scheduler_info()['workers']))\n"
                                        + "c.close()\n"),
                        40);
        return Integer.parseInt(out.lines().reduce((a, b) -> b).orElse("-1").trim());
    }

    private String serviceIp() {
        return kubectl.run(
                "get", "service", "simple-scheduler", "-o", "jsonpath={.spec.clusterIP}");
    }

    private String schedulerUid() {
        return kubectl.run("get", "pod", "simple-scheduler", "-o", "jsonpath={.metadata.uid}");
    }

    /** The group's worker pods that are not terminating. */
    private List<String> workerPods() {
        return kubectl.run(
                        "get",
                        "pods",
                        "-l",
                        WORKERS,
                        "-o",
                        "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}")
                .lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.contains(" "))
                .toList();
    }
}
