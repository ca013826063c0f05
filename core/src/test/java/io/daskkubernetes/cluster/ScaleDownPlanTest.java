package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleDownPlanTest {

    private static WorkerState registered(String pod) {
        return new WorkerState(pod, "Running", "tcp://10.244.0.9:" + pod.hashCode());
    }

    private static WorkerState pending(String pod) {
        return new WorkerState(pod, "Pending", null);
    }

    @Test
    void removesUnregisteredPodsBeforeAskingTheScheduler() {
        ScaleDownPlan plan =
                ScaleDownPlan.of(
                        List.of(registered("a"), pending("b"), registered("c"), pending("d")), 1);
        assertThat(plan.deleteAtOnce()).containsExactly("b", "d");
        assertThat(plan.toRetire()).isEqualTo(1);
    }

    @Test
    void leavesRegisteredWorkersAloneWhenPendingPodsAreEnough() {
        ScaleDownPlan plan =
                ScaleDownPlan.of(List.of(registered("a"), pending("b"), pending("c")), 2);
        assertThat(plan.deleteAtOnce()).containsExactly("b");
        assertThat(plan.toRetire()).isZero();
    }

    @Test
    void removesNothingWhenAtOrBelowTheTarget() {
        assertThat(ScaleDownPlan.of(List.of(registered("a")), 1))
                .isEqualTo(new ScaleDownPlan(List.of(), 0));
        assertThat(ScaleDownPlan.of(List.of(registered("a")), 5))
                .isEqualTo(new ScaleDownPlan(List.of(), 0));
    }

    @Test
    void retiresAsManyAsNeededWhenAllAreRegistered() {
        ScaleDownPlan plan =
                ScaleDownPlan.of(List.of(registered("a"), registered("b"), registered("c")), 0);
        assertThat(plan.deleteAtOnce()).isEmpty();
        assertThat(plan.toRetire()).isEqualTo(3);
    }
}
