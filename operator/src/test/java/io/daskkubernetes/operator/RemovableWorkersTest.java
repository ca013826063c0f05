package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.model.WorkerState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemovableWorkersTest {

    private static final List<WorkerState> LIVE =
            List.of(
                    new WorkerState("g-worker-a", "Running", "tcp://10.0.0.1:1"),
                    new WorkerState("g-worker-b", "Running", null),
                    new WorkerState("g-worker-c", "Pending", null),
                    new WorkerState("g-worker-d", "Running", "tcp://10.0.0.4:1"),
                    new WorkerState("g-worker-e", "Running", "tcp://10.0.0.5:1"));

    @Test
    void unregisteredPodsGoFirstPendingBeforeStarted() {
        assertThat(RemovableWorkers.choose(LIVE, 2, n -> List.of()))
                .containsExactly("g-worker-c", "g-worker-b");
    }

    @Test
    void thenTheSchedulersChoiceInItsOrderSkippingOtherGroupsWorkers() {
        List<Integer> asked = new ArrayList<>();
        List<String> chosen =
                RemovableWorkers.choose(
                        LIVE,
                        4,
                        n -> {
                            asked.add(n);
                            return List.of(
                                    "tcp://10.0.0.9:1", "tcp://10.0.0.5:1", "tcp://10.0.0.1:1");
                        });

        assertThat(chosen).containsExactly("g-worker-c", "g-worker-b", "g-worker-e", "g-worker-a");
        assertThat(asked).containsExactly(2);
    }

    @Test
    void nothingToRemoveAsksNothing() {
        assertThat(
                        RemovableWorkers.choose(
                                LIVE,
                                0,
                                n -> {
                                    throw new AssertionError("not to be asked");
                                }))
                .isEmpty();
    }
}
