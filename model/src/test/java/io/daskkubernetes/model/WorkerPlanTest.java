package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The worker plan as a table: observed pods, desired count and max in; what to do out. */
class WorkerPlanTest {

    private static WorkerState running(String pod) {
        return new WorkerState(pod, "Running", "tcp://" + pod + ":1");
    }

    private static WorkerState starting(String pod) {
        return new WorkerState(pod, "Running", null);
    }

    private static WorkerState pending(String pod) {
        return new WorkerState(pod, "Pending", null);
    }

    private static WorkerState failed(String pod) {
        return new WorkerState(pod, "Failed", null);
    }

    private static WorkerState succeeded(String pod) {
        return new WorkerState(pod, "Succeeded", "tcp://" + pod + ":1");
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                // name, observed, desired, max, target, create, ended, unregistered, to choose
                Arguments.of(
                        "grow from nothing", List.of(), 3, null, 3, 3, List.of(), List.of(), 0),
                Arguments.of(
                        "hold",
                        List.of(running("a"), running("b")),
                        2,
                        null,
                        2,
                        0,
                        List.of(),
                        List.of(),
                        0),
                Arguments.of(
                        "pending pods go first, then started-but-unregistered ones",
                        List.of(running("a"), starting("s"), pending("p"), running("b")),
                        2,
                        null,
                        2,
                        0,
                        List.of(),
                        List.of("p", "s"),
                        0),
                Arguments.of(
                        "only as many unregistered pods as the excess",
                        List.of(pending("p1"), pending("p2"), running("a")),
                        2,
                        null,
                        2,
                        0,
                        List.of(),
                        List.of("p1"),
                        0),
                Arguments.of(
                        "the scheduler chooses among registered workers once unregistered pods are gone",
                        List.of(running("a"), pending("p"), running("b"), running("c")),
                        1,
                        null,
                        1,
                        0,
                        List.of(),
                        List.of("p"),
                        2),
                Arguments.of(
                        "count.max clamps growth",
                        List.of(running("a")),
                        10,
                        4,
                        4,
                        3,
                        List.of(),
                        List.of(),
                        0),
                Arguments.of(
                        "count.max clamps an existing surplus down",
                        List.of(running("a"), running("b"), running("c")),
                        5,
                        2,
                        2,
                        0,
                        List.of(),
                        List.of(),
                        1),
                Arguments.of(
                        "ended pods are dropped, do not count, and are replaced",
                        List.of(running("a"), failed("f"), succeeded("s")),
                        2,
                        null,
                        2,
                        1,
                        List.of("f", "s"),
                        List.of(),
                        0),
                Arguments.of(
                        "scale to zero",
                        List.of(running("a"), pending("p")),
                        0,
                        null,
                        0,
                        0,
                        List.of(),
                        List.of("p"),
                        1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void plansWhatToCreateDeleteAndRetire(
            String name,
            List<WorkerState> observed,
            int desired,
            Integer max,
            int target,
            int toCreate,
            List<String> ended,
            List<String> unregistered,
            int toChoose) {
        WorkerPlan plan =
                WorkerPlan.toReach(
                        observed, desired, max == null ? OptionalInt.empty() : OptionalInt.of(max));

        assertThat(plan.target()).as("target").isEqualTo(target);
        assertThat(plan.toCreate()).as("to create").isEqualTo(toCreate);
        assertThat(plan.endedPods()).as("ended pods").containsExactlyElementsOf(ended);
        assertThat(plan.unregisteredToDelete())
                .as("unregistered pods")
                .containsExactlyElementsOf(unregistered);
        assertThat(plan.workersToChoose()).as("workers to choose").isEqualTo(toChoose);
        assertThat(plan.clampWarning().isPresent()).as("warning").isEqualTo(desired > target);
        List<String> registered =
                observed.stream()
                        .filter(WorkerState::registered)
                        .map(WorkerState::podName)
                        .toList();
        assertThat(plan.podsToDeleteNow())
                .as("no registered, live worker's pod is deleted without being retired")
                .allMatch(pod -> !registered.contains(pod) || ended.contains(pod));
    }

    @Test
    void theClampWarningNamesTheKeyAndBothCounts() {
        WorkerPlan plan = WorkerPlan.toReach(List.of(), 7, OptionalInt.of(3));

        assertThat(plan.clampWarning())
                .hasValue("Asked for 7 workers, but kubernetes.count.max is 3; scaling to 3");
    }

    @Test
    void retiresTheWorkersTheSchedulerNamesInItsOrderAndThenDeletesExactlyTheirPods() {
        WorkerPlan plan =
                WorkerPlan.toReach(
                        List.of(running("a"), running("b"), running("c")), 1, OptionalInt.empty());

        WorkerPlan.Removal removal = plan.retire(List.of("tcp://c:1", "tcp://a:1", "tcp://b:1"));

        assertThat(removal.addressesToRetire()).containsExactly("tcp://c:1", "tcp://a:1");
        assertThat(removal.podsToDelete()).containsExactly("c", "a");
    }

    @Test
    void ignoresAddressesTheSchedulerNamesThatNoPodHas() {
        WorkerPlan plan =
                WorkerPlan.toReach(List.of(running("a"), running("b")), 1, OptionalInt.empty());

        WorkerPlan.Removal removal = plan.retire(List.of("tcp://gone:1", "tcp://b:1"));

        assertThat(removal.podsToDelete()).containsExactly("b");
    }

    @Test
    void removingNamedWorkersRetiresTheRegisteredOnesAndDeletesAllTheirPods() {
        List<WorkerState> live = List.of(running("a"), pending("p"), running("b"));

        WorkerPlan.Removal removal = WorkerPlan.removing(live, List.of("tcp://b:1", "p"));

        assertThat(removal.addressesToRetire()).containsExactly("tcp://b:1");
        assertThat(removal.podsToDelete()).containsExactly("p", "b");
    }

    @Test
    void removingAnUnknownWorkerIsAnErrorListingTheWorkersThereAre() {
        assertThatThrownBy(() -> WorkerPlan.removing(List.of(running("a")), List.of("zz")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[zz]")
                .hasMessageContaining("[a]");
    }

    @Test
    void aNegativeCountIsRefused() {
        assertThatThrownBy(() -> WorkerPlan.toReach(List.of(), -1, OptionalInt.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use 0 or more");
    }
}
