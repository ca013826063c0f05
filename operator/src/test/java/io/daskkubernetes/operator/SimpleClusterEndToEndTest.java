package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream's simplecluster.yaml, unchanged, on the local runtime with the operator in this JVM:
 * real kubectl, real dask-scheduler and dask-worker processes, a real Dask client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimpleClusterEndToEndTest {

    private static final Path MANIFESTS = OperatorOnLocalRuntime.MANIFESTS;
    private static final Duration PATIENCE = Duration.ofSeconds(50);
    private static final String WORKERS = "dask.org/workergroup-name=simple-default";

    private OperatorOnLocalRuntime runtime;
    private Kubectl kubectl;

    @BeforeAll
    void startRuntimeAndOperator() {
        runtime = OperatorOnLocalRuntime.start();
        kubectl = runtime.kubectl();
    }

    @AfterAll
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(60)
    void simpleClusterReachesRunningWithTwoRegisteredWorkers() {
        // kubectl's default client-side validation, against the runtime's OpenAPI documents
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
        awaitRegisteredWorkers(2);
        assertThat(kubectl.run("get", "events", "-o", "jsonpath={.items[*].reason}"))
                .contains("SchedulerCreated", "WorkerGroupCreated", "Scaling");
    }

    @Test
    @Order(2)
    @Timeout(60)
    void aPythonClientComputesThroughTheServiceAndUpstreamsPropagationRulesHold() {
        String serviceIp =
                kubectl.run(
                        "get", "service", "simple-scheduler", "-o", "jsonpath={.spec.clusterIP}");
        String total =
                python(
                        "from dask.distributed import Client\n"
                                + "c = Client('tcp://"
                                + serviceIp
                                + ":8786', timeout=20)\n"
                                + "print(sum(c.gather(c.map(lambda x: x * x, range(100)))))\n"
                                + "c.close()\n");
        assertThat(total).isEqualTo(String.valueOf(328350));

        // upstream's propagation rules, checked with jsonpath as its own tests do
        String worker = workerPods().get(0);
        assertThat(kubectl.run("get", "pod", worker, "-o", "jsonpath={.metadata.labels}"))
                .contains(
                        "\"test-label\":\"label-value\"",
                        "\"worker-sublabel\":\"label-value\"",
                        "\"dask.org/component\":\"worker\"",
                        "\"dask.org/cluster-name\":\"simple\"",
                        "\"dask.org/workergroup-name\":\"simple-default\"");
        assertThat(kubectl.run("get", "pod", worker, "-o", "jsonpath={.metadata.annotations}"))
                .contains(
                        "\"test-annotation\":\"annotation-value\"",
                        "\"worker-subannotation\":\"annotation-value\"")
                .doesNotContain("kopf.zalando.org", "kubectl.kubernetes.io");
        assertThat(
                        kubectl.run(
                                        "get",
                                        "pod",
                                        worker,
                                        "-o",
                                        "jsonpath={.spec.containers[0].env[*].name}")
                                .split(" "))
                .containsExactly("WORKER_ENV", "DASK_WORKER_NAME", "DASK_SCHEDULER_ADDRESS");
        assertThat(
                        kubectl.run(
                                "get",
                                "pod",
                                worker,
                                "-o",
                                "jsonpath={.spec.containers[0].env[?(@.name==\"DASK_SCHEDULER_ADDRESS\")].value}"))
                .isEqualTo("tcp://simple-scheduler.default.svc.cluster.local:8786");
        assertThat(
                        kubectl.run(
                                "get",
                                "pod",
                                "simple-scheduler",
                                "-o",
                                "jsonpath={.metadata.labels}"))
                .contains(
                        "\"scheduler-sublabel\":\"label-value\"",
                        "\"dask.org/component\":\"scheduler\"");
        assertThat(
                        kubectl.run(
                                "get",
                                "service",
                                "simple-scheduler",
                                "-o",
                                "jsonpath={.spec.ports[*].port}"))
                .isEqualTo("8786 8787");
    }

    @Test
    @Order(3)
    @Timeout(60)
    void kubectlScaleOfTheGroupUpGivesFiveWorkers() {
        kubectl.run("scale", "daskworkergroup", "simple-default", "--replicas=5");

        awaitRegisteredWorkers(5);
        awaitStatusReplicas(5);
    }

    @Test
    @Order(4)
    @Timeout(60)
    void scalingDownToThreeKeepsFiftyPersistedResultsWithoutRecomputingThem() {
        PersistedResults.Started persisted =
                PersistedResults.persist("tcp://" + serviceIp() + ":8786", PATIENCE);
        try (PersistedResults client = persisted.client()) {
            assertThat(persisted.report().path("persisted").asInt())
                    .isEqualTo(PersistedResults.COUNT);
            // spread over more workers than will remain, so the scale-down must move results
            assertThat(persisted.report().path("workers").asInt()).isGreaterThan(3);

            kubectl.run("scale", "daskworkergroup", "simple-default", "--replicas=3");

            awaitRegisteredWorkers(3);
            awaitStatusReplicas(3);
            JsonNode check = client.check(Duration.ofSeconds(20));
            assertThat(check.path("correct").asBoolean()).as("%s", check).isTrue();
            assertThat(check.path("computedOnce").asInt())
                    .as("%s", check)
                    .isEqualTo(PersistedResults.COUNT);
            assertThat(check.path("computedMoreThanOnce").asInt()).isZero();
        }
        assertThat(column(kubectl.run("get", "daskworkergroup", "simple-default"), "WORKERS"))
                .isEqualTo("3");
        assertThat(
                        kubectl.run(
                                "get",
                                "--raw",
                                "/apis/kubernetes.dask.org/v1/namespaces/default/daskworkergroups/simple-default/scale"))
                .contains("\"replicas\":3");
    }

    @Test
    @Order(5)
    @Timeout(60)
    void aDeletedWorkerPodIsReplaced() {
        String victim = workerPods().get(0);
        kubectl.run("delete", "pod", victim, "--wait=false");

        await().atMost(PATIENCE)
                .until(
                        () -> {
                            List<String> pods = workerPods();
                            return !pods.contains(victim) && pods.size() == 3;
                        });
        awaitRegisteredWorkers(3);
    }

    @Test
    @Order(6)
    @Timeout(60)
    void scalingDownRetiresWorkersTheSchedulerChoseAndDeletesOnlyTheirPods() {
        List<String> before = workerPods();
        kubectl.run("scale", "daskworkergroup", "simple-default", "--replicas=1");

        awaitRegisteredWorkers(1);
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
        assertThat(
                        kubectl.run(
                                "get",
                                "daskworkergroup",
                                "simple-default",
                                "-o",
                                "jsonpath={.status.conditions[?(@.type==\"ScaleDown\")].status}"))
                .isEqualTo("False");
    }

    @Test
    @Order(7)
    @Timeout(60)
    void kubectlScaleOfTheClusterReachesItsDefaultGroup() {
        kubectl.run("scale", "daskcluster", "simple", "--replicas=4");

        awaitRegisteredWorkers(4);
        assertThat(
                        kubectl.run(
                                "get",
                                "daskworkergroup",
                                "simple-default",
                                "-o",
                                "jsonpath={.spec.worker.replicas}"))
                .isEqualTo("4");
        await().atMost(PATIENCE)
                .until(
                        () -> column(kubectl.run("get", "daskcluster", "simple"), "WORKERS"),
                        "4"::equals);
        // upstream's printer columns, in upstream's order
        assertThat(header(kubectl.run("get", "dsk", "simple")))
                .containsExactly("NAME", "WORKERS", "STATUS", "AGE");
        assertThat(header(kubectl.run("get", "daskworkers", "simple-default")))
                .containsExactly("NAME", "WORKERS", "CURRENT", "CLUSTER", "AGE");
    }

    @Test
    @Order(8)
    @Timeout(60)
    void aDeletedSchedulerPodIsMadeAgainAndBecomesReady() {
        String serviceBefore = serviceIp();
        String before =
                kubectl.run("get", "pod", "simple-scheduler", "-o", "jsonpath={.metadata.uid}");
        kubectl.run("delete", "pod", "simple-scheduler", "--wait=false");

        await().atMost(PATIENCE)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            String now =
                                    kubectl.run(
                                            "get",
                                            "pods",
                                            "-l",
                                            "dask.org/component=scheduler,dask.org/cluster-name=simple",
                                            "-o",
                                            "jsonpath={range .items[*]}{.metadata.uid} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}");
                            return now.lines()
                                    .anyMatch(l -> !l.startsWith(before) && l.endsWith(" True"));
                        });
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
        // The Service keeps its address, so clients and workers find the new scheduler. (The
        // workers themselves come back through container restarts, which takes longer than this
        // test's minute; not asserted here.)
        assertThat(serviceIp()).isEqualTo(serviceBefore);
    }

    @Test
    @Order(9)
    @Timeout(60)
    void anInvalidNameGivesPhaseErrorNamingTheRuleAndMakesNothing(@TempDir Path dir)
            throws java.io.IOException {
        String name = "a-name-that-is-far-too-long-for-a-dask-cluster-name-xyz";
        Path manifest = dir.resolve("long.yaml");
        Files.writeString(
                manifest,
                Files.readString(MANIFESTS.resolve("simplecluster.yaml"))
                        .replace("name: simple\n", "name: " + name + "\n"));
        kubectl.run("apply", "-f", manifest.toString());

        await().atMost(PATIENCE)
                .until(
                        () ->
                                kubectl.run(
                                        "get",
                                        "daskcluster",
                                        name,
                                        "-o",
                                        "jsonpath={.status.phase}"),
                        "Error"::equals);
        assertThat(kubectl.run("get", "daskcluster", name, "-o", "jsonpath={.status.message}"))
                .contains("metadata.name", "at most 53");
        assertThat(
                        kubectl.run(
                                "get",
                                "pods,services",
                                "-l",
                                "dask.org/cluster-name=" + name,
                                "-o",
                                "name"))
                .isEmpty();
        kubectl.run("delete", "daskcluster", name);
    }

    @Test
    @Order(10)
    @Timeout(60)
    void aSecondWorkerGroupJoinsWithItsOwnWorkersAndBelongsToTheCluster() {
        kubectl.run("apply", "-f", MANIFESTS.resolve("simpleworkergroup.yaml").toString());

        await().atMost(PATIENCE)
                .until(
                        () ->
                                kubectl.run(
                                        "get",
                                        "daskworkergroup",
                                        "simple-additional",
                                        "-o",
                                        "jsonpath={.status.replicas}/{.status.conditions[?(@.type==\"WorkersReady\")].message}"),
                        "1/1 of 1 workers registered"::equals);
        String pod =
                kubectl.run(
                        "get",
                        "pods",
                        "-l",
                        "dask.org/workergroup-name=simple-additional",
                        "-o",
                        "jsonpath={.items[0].metadata.name}");
        assertThat(
                        kubectl.run(
                                "get",
                                "pod",
                                pod,
                                "-o",
                                "jsonpath={.spec.containers[0].env[?(@.name==\"DASK_WORKER_NAME\")].value}"))
                .isEqualTo("test-worker");
        assertThat(
                        kubectl.run(
                                "get",
                                "daskworkergroup",
                                "simple-additional",
                                "-o",
                                "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"))
                .isEqualTo("DaskCluster/simple");
    }

    @Test
    @Order(11)
    @Timeout(60)
    void deletingTheClusterRemovesEverything() {
        kubectl.run("delete", "daskcluster", "simple", "--wait=false");

        await().atMost(PATIENCE)
                .until(
                        () ->
                                kubectl.run(
                                                        "get",
                                                        "pods,services,daskworkergroups",
                                                        "-l",
                                                        "dask.org/cluster-name=simple",
                                                        "-o",
                                                        "name")
                                                .isEmpty()
                                        && kubectl.run("get", "daskworkergroups", "-o", "name")
                                                .isEmpty());
    }

    @Test
    @Order(12)
    @Timeout(60)
    void aNegativeReplicaCountOrAMissingSchedulerIsRefusedAtAdmissionAndNothingIsMade(
            @TempDir Path dir) throws java.io.IOException {
        String upstream = Files.readString(MANIFESTS.resolve("simplecluster.yaml"));
        Path negative = dir.resolve("negative.yaml");
        Files.writeString(
                negative,
                upstream.replace("name: simple\n", "name: negative\n")
                        .replace("replicas: 2", "replicas: -1"));
        Path noScheduler = dir.resolve("no-scheduler.yaml");
        String renamed = upstream.replace("name: simple\n", "name: no-scheduler\n");
        Files.writeString(noScheduler, renamed.substring(0, renamed.indexOf("  scheduler:\n")));

        assertThatThrownBy(() -> kubectl.run("apply", "-f", negative.toString()))
                .hasMessageContaining(
                        "spec.worker.replicas: Invalid value: -1: spec.worker.replicas in body"
                                + " should be greater than or equal to 0");
        assertThatThrownBy(() -> kubectl.run("apply", "-f", noScheduler.toString()))
                .hasMessageContaining("spec.scheduler: Required value");
        assertThat(kubectl.run("get", "daskclusters,daskworkergroups", "-o", "name"))
                .doesNotContain("negative", "no-scheduler");
        assertThat(
                        kubectl.run(
                                "get",
                                "pods,services",
                                "-l",
                                "dask.org/cluster-name in (negative,no-scheduler)",
                                "-o",
                                "name"))
                .isEmpty();
        // upstream's DaskJob manifest is admitted (server-side dry run: nothing is made)
        assertThat(
                        kubectl.run(
                                "apply",
                                "--dry-run=server",
                                "-f",
                                MANIFESTS.resolve("simplejob.yaml").toString()))
                .contains("daskjob.kubernetes.dask.org/simple-job created (server dry run)");
    }

    private void awaitStatusReplicas(int count) {
        await().atMost(PATIENCE)
                .until(
                        () ->
                                kubectl.run(
                                        "get",
                                        "daskworkergroup",
                                        "simple-default",
                                        "-o",
                                        "jsonpath={.status.replicas}"),
                        String.valueOf(count)::equals);
    }

    private void awaitRegisteredWorkers(int count) {
        await().atMost(PATIENCE)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> registeredWorkers() == count && workerPods().size() == count);
    }

    /** Workers the scheduler has, asked from a Dask client through the Service. */
    private int registeredWorkers() {
        String serviceIp =
                kubectl.run(
                        "get", "service", "simple-scheduler", "-o", "jsonpath={.spec.clusterIP}");
        return Integer.parseInt(
                python(
                        "from dask.distributed import Client\n"
                                + "c = Client('tcp://"
                                + serviceIp
                                + ":8786', timeout=10)\n"
                                + "print(len(c.scheduler_info()['workers']))\n"
                                + "c.close()\n"));
    }

    private String serviceIp() {
        return kubectl.run(
                "get", "service", "simple-scheduler", "-o", "jsonpath={.spec.clusterIP}");
    }

    private static List<String> header(String table) {
        return Arrays.asList(table.lines().findFirst().orElse("").trim().split("\\s+"));
    }

    /** The cell of {@code header} in the first row of kubectl's table output. */
    private static String column(String table, String header) {
        List<String> lines = table.lines().toList();
        int index = Arrays.asList(lines.get(0).trim().split("\\s+")).indexOf(header);
        assertThat(index).as("column %s in %s", header, lines.get(0)).isNotNegative();
        return lines.get(1).trim().split("\\s+")[index];
    }

    /** The group's worker pods that are not terminating. */
    private List<String> workerPods() {
        String lines =
                kubectl.run(
                        "get",
                        "pods",
                        "-l",
                        WORKERS,
                        "-o",
                        "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}");
        return lines.lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.contains(" "))
                .toList();
    }

    private String python(String script) {
        String out = kubectl.exec(List.of("/usr/bin/python3", "-c", script), 40);
        String[] lines = out.split("\n");
        return lines[lines.length - 1].trim();
    }
}
