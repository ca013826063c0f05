package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetireFirstTest {

    @Test
    void theAnnotationNamesPodsAndGivesTheAddressesOfTheRegisteredOnesStillThere() {
        DaskWorkerGroup group = new DaskWorkerGroup();
        group.setMetadata(
                new ObjectMetaBuilder()
                        .withName("simple-default")
                        .addToAnnotations(
                                RetireFirst.ANNOTATION,
                                RetireFirst.value(List.of("w-a", "w-gone", "w-pending")))
                        .build());
        List<WorkerState> live =
                List.of(
                        new WorkerState("w-a", "Running", "tcp://10.0.0.1:1"),
                        new WorkerState("w-b", "Running", "tcp://10.0.0.2:1"),
                        new WorkerState("w-pending", "Pending", null));

        assertThat(RetireFirst.podNames(group))
                .containsExactlyInAnyOrder("w-a", "w-gone", "w-pending");
        assertThat(RetireFirst.addresses(group, live)).containsExactly("tcp://10.0.0.1:1");
    }

    @Test
    void noAnnotationNamesNothing() {
        DaskWorkerGroup group = new DaskWorkerGroup();
        group.setMetadata(new ObjectMetaBuilder().withName("g").build());

        assertThat(RetireFirst.podNames(group)).isEmpty();
    }
}
