package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DaskAutoscaler {min 1, max 5} on upstream's simplecluster.yaml, on the local runtime with real
 * Dask: a Python client's backlog of 60 half-second tasks grows the workers, and once the work is
 * done they shrink back to 1 while the 60 results, kept persisted by the client, survive it. How
 * soon is printed; the awaited bounds are the check.
 */
class AutoscalerEndToEndTest {

    private static final int TASKS = 60;
    private static final Duration TASK = Duration.ofMillis(500);

    @Test
    @Timeout(240)
    void aBacklogGrowsTheWorkersAndIdleShrinksThemBackKeepingPersistedResults(@TempDir Path dir) {
        long start = System.nanoTime();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (OperatorOnLocalRuntime runtime =
                OperatorOnLocalRuntime.start(
                        OperatorSettings.watching(Set.of())
                                .installingCrds(true)
                                .meteredBy(registry))) {
            KubernetesClient client = runtime.client();
            System.out.printf(
                    "autoscaler e2e: runtime and operator up at %.1f s%n", seconds(start));
            AutoscaledBacklog.Reaction reaction;
            try (AutoscaledBacklog backlog = AutoscaledBacklog.start(runtime, dir)) {
                System.out.printf(
                        "autoscaler e2e: idle cluster at 1 worker at %.1f s%n", seconds(start));
                reaction = backlog.run(TASKS, TASK);
            }
            System.out.printf(
                    "autoscaler e2e: replicas raised %.2f s after the backlog (issue: within 2 s);"
                            + " back to 1 %.2f s after the work (workers and pods %.2f s;"
                            + " issue: within waitCount + 2 intervals = %d s)%n",
                    reaction.replicasRaised(),
                    reaction.replicasBackToMinimum(),
                    reaction.workersBackToMinimum(),
                    DaskAutoscalerReconciler.DEFAULT_TIMING.waitCount() + 2);

            assertThat(reaction.raisedTo()).isEqualTo(AutoscaledBacklog.MAXIMUM);
            assertThat(reaction.workersHoldingResults())
                    .as("the results are spread over several workers, so the shrink must move them")
                    .isGreaterThan(1);
            assertThat(reaction.check().path("correct").asBoolean())
                    .as("%s", reaction.check())
                    .isTrue();
            assertThat(reaction.check().path("computedOnce").asInt())
                    .as("%s", reaction.check())
                    .isEqualTo(TASKS);
            assertThat(reaction.check().path("computedMoreThanOnce").asInt()).isZero();

            DaskAutoscaler scaler =
                    client.resources(DaskAutoscaler.class)
                            .inNamespace("default")
                            .withName("simple")
                            .get();
            assertThat(scaler.getStatus().getDesiredWorkers()).isEqualTo(1);
            assertThat(scaler.getStatus().getWorkerGroup()).isEqualTo(AutoscaledBacklog.GROUP);
            assertThat(scaler.getStatus().getLastDecision())
                    .startsWith("down ")
                    .endsWith("consecutive rounds");
            assertThat(scaler.getStatus().getLastScaleTime()).isNotBlank();
            // no flapping: one shrink when idle at first, then growth, then shrinking, never back
            assertThat(runs(decisionEvents(client)))
                    .containsExactly("ScaledDown", "ScaledUp", "ScaledDown");
            assertThat(registry.scrape())
                    .contains(
                            "dask_operator_scale_decisions_total{cluster=\"simple\",direction=\"up\",namespace=\"default\"}")
                    .contains(
                            "dask_operator_scale_decisions_total{cluster=\"simple\",direction=\"down\",namespace=\"default\"}");
            System.out.printf("autoscaler e2e: done at %.1f s%n", seconds(start));
        }
    }

    /** The autoscaler's ScaledUp and ScaledDown Events, in the order they were written. */
    private static List<String> decisionEvents(KubernetesClient client) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "DaskAutoscaler".equals(e.getInvolvedObject().getKind()))
                .filter(e -> e.getReason().startsWith("Scaled"))
                .sorted(
                        Comparator.comparingLong(
                                (Event e) -> Long.parseLong(e.getMetadata().getResourceVersion())))
                .map(Event::getReason)
                .toList();
    }

    /** ["a", "a", "b", "a"] → ["a", "b", "a"]. */
    private static List<String> runs(List<String> reasons) {
        List<String> runs = new ArrayList<>();
        for (String reason : reasons) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(reason)) {
                runs.add(reason);
            }
        }
        return runs;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
