package io.daskkubernetes.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.operator.DaskOperator;
import io.daskkubernetes.operator.OperatorSettings;
import io.daskkubernetes.operator.WorkerAllocation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Upstream's worker-allocation batching: a group missing 5 workers, with batches of 2 every 3 s,
 * creates them as 2, 2, 1, the batches at least the delay apart. Cheap pods (no Dask): this is
 * about the pace of pod creation only.
 */
class WorkerAllocationBatchesTest {

    private static final Duration DELAY = Duration.ofSeconds(3);

    @Test
    @Timeout(120)
    void missingWorkersAreCreatedInBatchesTheDelayApart() {
        try (LocalKubernetes local = LocalKubernetes.builder().start();
                DaskOperator operator =
                        DaskOperator.start(
                                local.client(),
                                OperatorSettings.watching(Set.of())
                                        .installingCrds(true)
                                        .allocatingWorkers(WorkerAllocation.batches(2, DELAY)))) {
            local.client().resource(CheapCluster.of("batched", 5)).create();

            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> workerPods(local).size() == 5);

            // creationTimestamp has whole seconds: a gap of 3 s between two creations shows as
            // at least 2 s
            List<Instant> created =
                    workerPods(local).stream()
                            .map(p -> Instant.parse(p.getMetadata().getCreationTimestamp()))
                            .sorted()
                            .toList();
            assertThat(Duration.between(created.get(1), created.get(2)))
                    .isGreaterThanOrEqualTo(DELAY.minusSeconds(1));
            assertThat(Duration.between(created.get(3), created.get(4)))
                    .isGreaterThanOrEqualTo(DELAY.minusSeconds(1));
            assertThat(scalingEvents(local))
                    .contains(
                            "creating 2 of the 5 missing worker pod(s) to reach 5"
                                    + " (worker-allocation batch; the next in 3 s)",
                            "creating 2 of the 3 missing worker pod(s) to reach 5"
                                    + " (worker-allocation batch; the next in 3 s)",
                            "creating 1 worker pod(s) to reach 5");
        }
    }

    private static List<Pod> workerPods(LocalKubernetes local) {
        return local.client()
                .pods()
                .inNamespace("default")
                .withLabel(DaskLabels.COMPONENT, DaskLabels.COMPONENT_WORKER)
                .list()
                .getItems();
    }

    private static List<String> scalingEvents(LocalKubernetes local) {
        return local.client().v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "Scaling".equals(e.getReason()))
                .map(Event::getMessage)
                .toList();
    }
}
