package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.config.ConfigException;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WorkerBatchesTest {

    private Instant now = Instant.parse("2026-12-05T12:00:00Z");

    private WorkerBatches batches(WorkerAllocation allocation) {
        return new WorkerBatches(allocation, () -> now);
    }

    @Test
    void unbatchedCreatesEveryMissingPodAtOnce() {
        WorkerBatches batches = batches(WorkerAllocation.unbatched());
        assertThat(batches.next("g", 250).create()).isEqualTo(250);
        assertThat(batches.next("g", 250).create()).isEqualTo(250);
    }

    @Test
    void batchesWaitTheDelayBetweenRoundsOfOneGroup() {
        WorkerBatches batches = batches(WorkerAllocation.batches(2, Duration.ofSeconds(5)));

        WorkerBatches.Round first = batches.next("g", 5);
        assertThat(first.create()).isEqualTo(2);
        assertThat(first.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(first.leavesSome(5)).isTrue();

        // the new pods' events reconcile the group again at once: nothing more yet
        now = now.plusSeconds(1);
        WorkerBatches.Round early = batches.next("g", 3);
        assertThat(early.create()).isZero();
        assertThat(early.retryAfter()).isEqualTo(Duration.ofSeconds(4));

        now = now.plusSeconds(4);
        assertThat(batches.next("g", 3).create()).isEqualTo(2);
        now = now.plusSeconds(5);
        WorkerBatches.Round last = batches.next("g", 1);
        assertThat(last.create()).isEqualTo(1);
        assertThat(last.leavesSome(1)).isFalse();
    }

    @Test
    void groupsArePacedApartAndAGroupThatIsCompleteStartsAfresh() {
        WorkerBatches batches = batches(WorkerAllocation.batches(3, Duration.ofSeconds(10)));
        assertThat(batches.next("a", 10).create()).isEqualTo(3);
        assertThat(batches.next("b", 10).create()).isEqualTo(3);
        assertThat(batches.next("a", 7).create()).isZero();

        // "c" reaches its size within one batch; a later scale-up does not wait for that batch
        assertThat(batches.next("c", 2).create()).isEqualTo(2);
        assertThat(batches.next("c", 0).create()).isZero();
        assertThat(batches.next("c", 4).create()).isEqualTo(3);
    }

    @Test
    void readsUpstreamsKeysFromTheEnvironment() {
        WorkerAllocation allocation =
                WorkerAllocation.fromConfig(
                        config(
                                Map.of(
                                        "DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__BATCH_SIZE",
                                        "20",
                                        "DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__DELAY",
                                        "3")));
        assertThat(allocation.batchSize()).isEqualTo(OptionalInt.of(20));
        assertThat(allocation.delay()).isEqualTo(Duration.ofSeconds(3));

        WorkerAllocation defaults = WorkerAllocation.fromConfig(config(Map.of()));
        assertThat(defaults.batchSize()).isEmpty();
        assertThat(defaults.delay()).isEqualTo(Duration.ofSeconds(5));

        // upstream's chart renders its null values as empty variables
        WorkerAllocation empty =
                WorkerAllocation.fromConfig(
                        config(
                                Map.of(
                                        "DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__BATCH_SIZE",
                                        "",
                                        "DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__DELAY",
                                        "")));
        assertThat(empty).isEqualTo(WorkerAllocation.unbatched());
    }

    @Test
    void aBadValueNamesTheVariableAndTheFix() {
        assertThatThrownBy(
                        () ->
                                WorkerAllocation.fromConfig(
                                        config(
                                                Map.of(
                                                        "DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__BATCH_SIZE",
                                                        "0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__BATCH_SIZE")
                .hasMessageContaining("give at least 1");
        assertThatThrownBy(
                        () ->
                                WorkerAllocation.fromConfig(
                                        config(
                                                Map.of(
                                                        "DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__DELAY",
                                                        "soon"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__DELAY")
                .hasMessageContaining("not a whole number");
    }

    private static DaskConfig config(Map<String, String> env) {
        return DaskConfig.load(ConfigSources.of(List.of(), env));
    }
}
