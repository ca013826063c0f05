package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.model.WorkerPlan;
import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.OptionalInt;
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
    void podsThatNeverRegisteredAreDeletedNamedOnesFirstAsManyAsThePlanSays() {
        DaskWorkerGroup group = new DaskWorkerGroup();
        group.setMetadata(
                new ObjectMetaBuilder()
                        .withName("g")
                        .addToAnnotations(RetireFirst.ANNOTATION, "w-started")
                        .build());
        List<WorkerState> observed =
                List.of(
                        new WorkerState("w-a", "Running", "tcp://10.0.0.1:1"),
                        new WorkerState("w-pending", "Pending", null),
                        new WorkerState("w-started", "Running", null));
        // 3 pods, 2 wanted: the plan alone would take the pending one
        WorkerPlan plan = WorkerPlan.toReach(observed, 2, OptionalInt.empty());
        assertThat(plan.unregisteredToDelete()).containsExactly("w-pending");

        assertThat(RetireFirst.unregisteredToDelete(group, plan)).containsExactly("w-started");

        WorkerPlan toOne = WorkerPlan.toReach(observed, 1, OptionalInt.empty());
        assertThat(RetireFirst.unregisteredToDelete(group, toOne))
                .containsExactly("w-started", "w-pending");
    }

    @Test
    void noAnnotationNamesNothing() {
        DaskWorkerGroup group = new DaskWorkerGroup();
        group.setMetadata(new ObjectMetaBuilder().withName("g").build());

        assertThat(RetireFirst.podNames(group)).isEmpty();
    }
}
