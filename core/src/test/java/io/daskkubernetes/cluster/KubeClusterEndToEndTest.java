package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.DeployMode;
import io.daskkubernetes.model.PodTemplates;
import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.scheduler.DaskWorker;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's proofs: KubeCluster on the local runtime, with real dask-scheduler and dask-worker
 * processes and a real Python client.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KubeClusterEndToEndTest {

    static final Path SEED_SPEC = Path.of("../examples/seed-worker-spec.yml").toAbsolutePath();
    static final Path ARRAY_MEAN = Path.of("../examples/array_mean.py").toAbsolutePath();
    static final Duration REGISTRATION = Duration.ofSeconds(90);

    static LocalKubernetes runtime;
    static KubernetesClient client;

    @TempDir Path scratch;

    @BeforeAll
    static void startRuntime() {
        runtime = LocalKubernetes.start();
        client = runtime.client();
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** Configuration with no files and no environment: the defaults only, plus what a test sets. */
    static DaskConfig config() {
        return DaskConfig.load(ConfigSources.of(List.of(), Map.of()));
    }

    static KubeCluster.Builder cluster() {
        return clusterOn(client);
    }

    static KubeCluster.Builder clusterOn(KubernetesClient kubernetes) {
        return KubeCluster.builder()
                .kubernetesClient(kubernetes)
                .config(config())
                .namespace("default");
    }

    @Test
    void theSeedsSpecAsItIsComputesTheArrayMeanAndLeavesNothingBehind() throws Exception {
        String name;
        try (KubeCluster cluster =
                cluster().workerTemplate(PodTemplateFiles.read(SEED_SPEC)).start()) {
            name = cluster.name();
            cluster.scale(3);
            await().atMost(REGISTRATION).until(() -> registered(cluster) == 3);

            List<WorkerState> workers = cluster.workers();
            List<String> daskNames =
                    cluster.schedulerClient().workers().stream().map(DaskWorker::name).toList();
            assertThat(daskNames)
                    .containsExactlyInAnyOrderElementsOf(
                            workers.stream().map(WorkerState::podName).toList());
            assertThat(workers).extracting(WorkerState::phase).containsOnly("Running");

            String output =
                    PythonClient.run(
                            ARRAY_MEAN,
                            Map.of("DASK_EXAMPLE_SIZE", "200"),
                            Duration.ofMinutes(2),
                            cluster.schedulerAddress());
            assertThat(output.strip()).isEqualTo("1.0");
            assertThat(cluster.toString()).contains(name, cluster.schedulerAddress(), "workers=3");
            assertThat(cluster.dashboardProblem().isPresent())
                    .as("a dashboard problem is reported exactly when the scheduler lacks bokeh")
                    .isEqualTo(!pythonHasBokeh());
        }
        assertNothingLeft(name);
    }

    @Test
    void scalingDownKeepsEveryPersistedResultWithoutRecomputing() throws Exception {
        Path executions = scratch.resolve("executions.log");
        Files.createFile(executions);
        executions.toFile().setWritable(true, false);
        try (KubeCluster cluster =
                cluster().workerTemplate(PodTemplateFiles.read(SEED_SPEC)).start()) {
            cluster.scale(3);
            await().atMost(REGISTRATION).until(() -> registered(cluster) == 3);
            try (PythonClient python =
                    PythonClient.start(
                            Path.of("src/test/resources/persist_and_check.py").toAbsolutePath(),
                            Map.of(),
                            cluster.schedulerAddress(),
                            executions.toString())) {
                assertThat(python.readLine()).isEqualTo("persisted");

                cluster.scale(1);
                assertThat(cluster.workers()).hasSize(1);
                await().atMost(REGISTRATION)
                        .until(() -> cluster.schedulerClient().workers().size() == 1);

                python.writeLine("go");
                assertThat(python.readLine()).isEqualTo("sum 328350 executions 100");
            }
        }
    }

    @Test
    void deployModeLocalRunsTheSchedulerHereAndComputesTheSameResult() throws Exception {
        String name;
        try (KubeCluster cluster =
                cluster()
                        .workerTemplate(PodTemplateFiles.read(SEED_SPEC))
                        .deployMode(DeployMode.LOCAL)
                        .schedulerProgram("/usr/bin/dask-scheduler")
                        .start()) {
            name = cluster.name();
            assertThat(
                            client.pods()
                                    .inNamespace("default")
                                    .withLabel(DaskLabels.CLUSTER_NAME, name)
                                    .withLabel(DaskLabels.COMPONENT, DaskLabels.COMPONENT_SCHEDULER)
                                    .list()
                                    .getItems())
                    .isEmpty();
            cluster.scale(2);
            await().atMost(REGISTRATION).until(() -> registered(cluster) == 2);
            String output =
                    PythonClient.run(
                            ARRAY_MEAN,
                            Map.of("DASK_EXAMPLE_SIZE", "200"),
                            Duration.ofMinutes(2),
                            cluster.schedulerAddress());
            assertThat(output.strip()).isEqualTo("1.0");
            assertThat(cluster.logs().get("scheduler")).contains("Scheduler at");
        }
        assertNothingLeft(name);
    }

    @Test
    void aSchedulerThatCannotStartFailsFastWithItsReasonAndLeavesNothing() {
        Pod badScheduler =
                new PodBuilder(PodTemplateFiles.read(SEED_SPEC))
                        .editSpec()
                        .editFirstContainer()
                        .withArgs("dask-scheduler", "--no-such-flag")
                        .endContainer()
                        .endSpec()
                        .build();
        String name = "bad-args-{uuid}";
        assertThatThrownBy(
                        () ->
                                cluster()
                                        .name(name)
                                        .workerTemplate(PodTemplateFiles.read(SEED_SPEC))
                                        .schedulerTemplate(badScheduler)
                                        .start())
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("cannot start")
                .hasMessageContaining("exited with code")
                .hasMessageContaining("--no-such-flag");
        assertThat(client.pods().inNamespace("default").list().getItems())
                .noneMatch(pod -> pod.getMetadata().getName().startsWith("bad-args-"));
        assertThat(client.services().inNamespace("default").list().getItems())
                .noneMatch(service -> service.getMetadata().getName().startsWith("bad-args-"));
        assertThat(client.configMaps().inNamespace("default").list().getItems())
                .noneMatch(owner -> owner.getMetadata().getName().startsWith("bad-args-"));
        assertThat(ProcessTable.commandLinesContaining("--no-such-flag")).isEmpty();
    }

    @Test
    void aSecondClusterWithTheSameNameIsRefusedAndTheFirstKeepsEverything() {
        try (KubeCluster first =
                cluster()
                        .name("twin-name")
                        .workerTemplate(PodTemplateFiles.read(SEED_SPEC))
                        .start()) {
            assertThatThrownBy(
                            () ->
                                    cluster()
                                            .name("twin-name")
                                            .workerTemplate(PodTemplateFiles.read(SEED_SPEC))
                                            .start())
                    .isInstanceOf(ClusterException.class)
                    .hasMessageContaining("named twin-name already exists")
                    .hasMessageContaining("choose another name");
            assertThat(client.configMaps().inNamespace("default").withName("twin-name").get())
                    .isNotNull();
            assertThat(client.services().inNamespace("default").withName("twin-name").get())
                    .isNotNull();
            assertThat(first.schedulerClient().healthy()).isTrue();
        }
        assertNothingLeft("twin-name");
    }

    @Test
    void dashboardLinkAndWorkerNamesFollowTheConfiguration() throws Exception {
        DaskConfig config =
                config().with(
                                "distributed.dashboard.link",
                                "http://{host}:{port}/proxy/{HOME}/status")
                        .with("kubernetes.name", "jvm-{user}-{uuid}");
        try (KubeCluster cluster =
                cluster().config(config).workerTemplate(PodTemplateFiles.read(SEED_SPEC)).start()) {
            assertThat(cluster.name()).startsWith("jvm-").matches("[a-z0-9-]+");
            String host =
                    cluster.schedulerAddress()
                            .replaceFirst("^tcp://", "")
                            .replaceFirst(":\\d+$", "");
            assertThat(cluster.dashboardLink())
                    .isEqualTo(
                            "http://" + host + ":8787/proxy/" + System.getenv("HOME") + "/status");
            cluster.scale(1);
            await().atMost(REGISTRATION).until(() -> registered(cluster) == 1);
            assertThat(cluster.workers())
                    .extracting(WorkerState::podName)
                    .allMatch(n -> n.startsWith(cluster.name() + "-"));
            assertThat(cluster.schedulerClient().workers())
                    .extracting(DaskWorker::name)
                    .allMatch(n -> n.startsWith(cluster.name() + "-"));
        }
    }

    /** A worker whose distributed says it is 2099.1.0: one warning line names it and both. */
    @Test
    void aWorkerWithAnotherDistributedVersionIsNamedInOneWarning() throws Exception {
        Path fakeWorker = scratch.resolve("dask-worker");
        Files.writeString(
                fakeWorker,
                String.join(
                        "\n",
                        "#!/usr/bin/python3",
                        "import sys",
                        "import distributed",
                        "distributed.__version__ = '2099.1.0'",
                        "from distributed.cli.dask_worker import main",
                        "if __name__ == '__main__':",
                        "    sys.exit(main())",
                        ""));
        Files.setPosixFilePermissions(fakeWorker, PosixFilePermissions.fromString("rwxr-xr-x"));
        Pod template =
                PodTemplates.fromMap(
                        Map.of(
                                "spec",
                                Map.of(
                                        "restartPolicy",
                                        "Never",
                                        "containers",
                                        List.of(
                                                Map.of(
                                                        "name",
                                                        "dask",
                                                        "image",
                                                        "daskdev/dask",
                                                        "args",
                                                        List.of(
                                                                fakeWorker.toString(),
                                                                "--nthreads",
                                                                "1",
                                                                // in-process, where the patch holds
                                                                "--no-nanny",
                                                                "--no-dashboard",
                                                                "--death-timeout",
                                                                "60"))))));
        try (KubeCluster cluster = cluster().workerTemplate(template).start()) {
            cluster.scale(1);
            cluster.waitForWorkers(1, REGISTRATION);

            assertThat(cluster.versionMismatches())
                    .singleElement()
                    .asString()
                    .startsWith("distributed: scheduler ")
                    .contains(" 2099.1.0")
                    .contains(distributedVersion());
        }
    }

    private static String distributedVersion() throws Exception {
        Process python =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                "-c",
                                "import distributed; print(distributed.__version__)")
                        .start();
        String version = new String(python.getInputStream().readAllBytes()).strip();
        assertThat(python.waitFor()).isZero();
        return version;
    }

    private static boolean pythonHasBokeh() throws Exception {
        Process python = new ProcessBuilder("/usr/bin/python3", "-c", "import bokeh").start();
        return python.waitFor() == 0;
    }

    static long registered(KubeCluster cluster) {
        return cluster.workers().stream().filter(WorkerState::registered).count();
    }

    static void assertNothingLeft(String clusterName) {
        assertThat(
                        client.pods()
                                .inNamespace("default")
                                .withLabel(DaskLabels.CLUSTER_NAME, clusterName)
                                .list()
                                .getItems())
                .isEmpty();
        assertThat(
                        client.services()
                                .inNamespace("default")
                                .withLabel(DaskLabels.CLUSTER_NAME, clusterName)
                                .list()
                                .getItems())
                .isEmpty();
        assertThat(client.configMaps().inNamespace("default").withName(clusterName).get()).isNull();
        assertThat(ProcessTable.commandLinesContaining(clusterName)).isEmpty();
    }
}
