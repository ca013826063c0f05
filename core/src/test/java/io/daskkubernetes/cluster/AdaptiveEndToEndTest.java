package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.adapt.AdaptiveLoop;
import io.daskkubernetes.adapt.AdaptiveRound;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.model.AdaptiveBounds;
import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.model.adapt.AdaptiveDecision;
import io.daskkubernetes.model.adapt.AdaptiveOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Issue 5's proofs: adaptive scaling on the local runtime with real Dask. Timing is asserted in
 * rounds of the loop (each one interval), never in seconds of wall clock.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AdaptiveEndToEndTest {

    static final Path WORKER_SPEC = Path.of("../examples/worker-spec.yml").toAbsolutePath();
    static final Path SLOW_TASKS = Path.of("src/test/resources/slow_tasks.py").toAbsolutePath();
    static final Path STEADY_LOAD = Path.of("src/test/resources/steady_load.py").toAbsolutePath();
    static final Path PERSIST = Path.of("src/test/resources/persist_and_check.py").toAbsolutePath();
    static final Duration REGISTRATION = Duration.ofSeconds(90);

    static LocalKubernetes runtime;

    @TempDir Path scratch;

    @BeforeAll
    static void startRuntime() {
        runtime = LocalKubernetes.start();
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    static KubeCluster.Builder cluster() {
        return KubeClusterEndToEndTest.clusterOn(runtime.client())
                .workerTemplate(PodTemplateFiles.read(WORKER_SPEC));
    }

    @Test
    void growsUnderABacklogAndReturnsToTheMinimumWhenIdle() throws Exception {
        try (KubeCluster cluster = cluster().start()) {
            growAndShrinkUnderABacklog(cluster);
        }
    }

    /**
     * adapt(1, 6), 60 tasks of 0.5 s from a Python client, every result checked, then back to 1
     * worker.
     */
    static void growAndShrinkUnderABacklog(KubeCluster cluster) throws Exception {
        AdaptiveLoop loop = cluster.adapt(AdaptiveOptions.of(1, 6));
        await().atMost(REGISTRATION).until(() -> registered(cluster) == 1);

        String output =
                PythonClient.run(
                        SLOW_TASKS,
                        Map.of(),
                        Duration.ofMinutes(3),
                        cluster.schedulerAddress(),
                        "60",
                        "0.5");
        assertThat(output.strip()).isEqualTo("ok 60 3540");

        await().atMost(REGISTRATION).until(() -> cluster.workers().size() == 1);
        assertGrewAtOnceAndShrankAfterWaitCount(loop.rounds(), loop.options());
    }

    @Test
    void resultsPersistedBeforeAnAdaptiveScaleDownAreAllStillThere() throws Exception {
        Path executions = Files.createFile(scratch.resolve("executions.log"));
        try (KubeCluster cluster = cluster().start()) {
            cluster.scale(3);
            await().atMost(REGISTRATION).until(() -> registered(cluster) == 3);
            try (PythonClient python =
                    PythonClient.start(
                            PERSIST, Map.of(), cluster.schedulerAddress(), executions.toString())) {
                assertThat(python.readLine()).isEqualTo("persisted");

                AdaptiveLoop loop = cluster.adapt(AdaptiveOptions.of(1, 3));
                // Another process's scale would be undone by the loop: it is refused, saying why.
                assertThatThrownBy(
                                () ->
                                        new ClusterCatalog(runtime.client())
                                                .scale("default", cluster.name(), 3))
                        .isInstanceOf(ClusterException.class)
                        .hasMessageContaining("adapts between 1 and 3 workers");
                await().atMost(REGISTRATION)
                        .until(
                                () ->
                                        cluster.workers().size() == 1
                                                && cluster.schedulerClient().workers().size() == 1);
                assertThat(loop.scaleDecisions())
                        .allMatch(d -> d instanceof AdaptiveDecision.ScaleDown);

                python.writeLine("go");
                assertThat(python.readLine()).isEqualTo("sum 328350 executions 100");
            }
            // scale() after adapt() stops adapting, as upstream does: the idle cluster keeps its 2
            // workers.
            AdaptiveLoop stopped = cluster.adaptive().orElseThrow();
            cluster.scale(2);
            assertThat(cluster.adaptive()).isEmpty();
            assertThat(
                            AdaptiveBounds.of(
                                    runtime.client()
                                            .configMaps()
                                            .inNamespace("default")
                                            .withName(cluster.name())
                                            .get()))
                    .as("no longer adapting: the bounds are gone from the owner")
                    .isEmpty();
            int roundsAtScale = stopped.rounds().size();
            await().atMost(REGISTRATION).until(() -> registered(cluster) == 2);
            assertThat(stopped.rounds()).hasSize(roundsAtScale);
            assertThat(cluster.workers()).hasSize(2);
        }
    }

    @Test
    void aSteadyLoadMakesFewScaleDecisions() throws Exception {
        try (KubeCluster cluster = cluster().start()) {
            AdaptiveLoop loop = cluster.adapt(AdaptiveOptions.of(1, 6));
            await().atMost(REGISTRATION).until(() -> registered(cluster) == 1);

            // 16 one-second tasks in flight, 200 in all: the target hovers, the cluster must not.
            String output =
                    PythonClient.run(
                            STEADY_LOAD,
                            Map.of(),
                            Duration.ofMinutes(3),
                            cluster.schedulerAddress(),
                            "16",
                            "1.0",
                            "200");
            assertThat(output.strip()).isEqualTo("ok 200");

            List<AdaptiveRound> rounds = loop.rounds();
            long targetChanges = countTargetChanges(rounds);
            List<AdaptiveDecision> decisions = loop.scaleDecisions();
            System.out.printf(
                    "steady load: %d rounds, scheduler target changed %d times, %d scale decisions: %s%n",
                    rounds.size(), targetChanges, decisions.size(), decisions);
            // Growing to the load's size and perhaps settling back once: ups, then downs, never
            // up-down-up;
            // and far fewer decisions than rounds in which the scheduler's target moved.
            assertThat(directionChanges(decisions))
                    .as("scale reversals in %s", decisions)
                    .isLessThanOrEqualTo(1);
            assertThat(decisions).hasSizeLessThanOrEqualTo(6);
        }
    }

    @Test
    void adaptsTheSameThroughDasksTcpProtocolWhenTheHttpApiIsOff() throws Exception {
        Pod schedulerWithoutHttpApi =
                new PodBuilder(PodTemplateFiles.read(WORKER_SPEC))
                        .editSpec()
                        .editFirstContainer()
                        .withArgs(
                                "dask-scheduler", "--port", "8786", "--dashboard-address", ":8787")
                        .addNewEnv()
                        .withName(ClusterModel.HTTP_ROUTES_ENV)
                        .withValue("[]")
                        .endEnv()
                        .endContainer()
                        .endSpec()
                        .build();
        try (KubeCluster cluster = cluster().schedulerTemplate(schedulerWithoutHttpApi).start()) {
            assertThat(cluster.schedulerClient().transportName()).isEqualTo("tcp");
            growAndShrinkUnderABacklog(cluster);
        }
    }

    /**
     * The first round whose target exceeds the workers scales up in that same round (well within 3
     * intervals of the backlog); after the work, the round that removes the extra workers comes at
     * most waitCount + 2 rounds after the scheduler first wanted fewer.
     */
    static void assertGrewAtOnceAndShrankAfterWaitCount(
            List<AdaptiveRound> rounds, AdaptiveOptions options) {
        AdaptiveRound backlog =
                rounds.stream()
                        .filter(r -> r.schedulerTarget() > Math.max(1, r.plannedWorkers()))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "the scheduler never asked for more workers: "
                                                        + rounds));
        assertThat(backlog.decision()).isInstanceOf(AdaptiveDecision.ScaleUp.class);
        assertThat(((AdaptiveDecision.ScaleUp) backlog.decision()).workers()).isGreaterThan(1);

        AdaptiveRound lastUp =
                rounds.stream()
                        .filter(r -> r.decision() instanceof AdaptiveDecision.ScaleUp)
                        .reduce((a, b) -> b)
                        .orElseThrow();
        AdaptiveRound firstIdle =
                rounds.stream()
                        .filter(
                                r ->
                                        r.number() > lastUp.number()
                                                && r.schedulerTarget() <= options.minimum()
                                                && r.plannedWorkers() > 1)
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "the scheduler never wanted fewer: " + rounds));
        AdaptiveRound down =
                rounds.stream()
                        .filter(
                                r ->
                                        r.number() >= firstIdle.number()
                                                && r.decision()
                                                        instanceof AdaptiveDecision.ScaleDown)
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no scale-down after the work: " + rounds));
        assertThat(down.number() - firstIdle.number())
                .isLessThanOrEqualTo(options.waitCount() + 2L);
    }

    /** How often the decisions turn from growing to shrinking or back. */
    static int directionChanges(List<AdaptiveDecision> decisions) {
        int changes = 0;
        for (int i = 1; i < decisions.size(); i++) {
            if (decisions.get(i).getClass() != decisions.get(i - 1).getClass()) {
                changes++;
            }
        }
        return changes;
    }

    static long countTargetChanges(List<AdaptiveRound> rounds) {
        long changes = 0;
        for (int i = 1; i < rounds.size(); i++) {
            if (rounds.get(i).schedulerTarget() != rounds.get(i - 1).schedulerTarget()) {
                changes++;
            }
        }
        return changes;
    }

    static long registered(KubeCluster cluster) {
        return cluster.workers().stream().filter(WorkerState::registered).count();
    }
}
