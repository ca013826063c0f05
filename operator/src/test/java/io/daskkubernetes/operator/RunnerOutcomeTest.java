package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class RunnerOutcomeTest {

    @Test
    void aFailedContainerDecidesWithItsExitCodeAndTimes() {
        Pod pod = pod("Failed", ended("sidecar", 0, "Completed"), ended("job", 3, "Error"));

        RunnerOutcome outcome = RunnerOutcome.of(pod);

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.container()).isEqualTo("job");
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.reason()).isEqualTo("Error");
        assertThat(outcome.startedAt()).isEqualTo("2026-12-05T12:00:01Z");
        assertThat(outcome.finishedAt()).isEqualTo("2026-12-05T12:00:09Z");
        assertThat(JobTimes.fromKubernetes(outcome.finishedAt(), null))
                .isEqualTo("2026-12-05T12:00:09Z");
    }

    @Test
    void aPendingPodHasNoOutcomeYet() {
        RunnerOutcome outcome = RunnerOutcome.of(new PodBuilder().build());

        assertThat(outcome.phase()).isEqualTo("Pending");
        assertThat(outcome.exitCode()).isNull();
        assertThat(outcome.running() || outcome.succeeded() || outcome.failed()).isFalse();
    }

    @Test
    void upstreamsTimeFormatDropsFractionsAndIsUtc() {
        assertThat(JobTimes.format(java.time.Instant.parse("2026-12-05T12:00:09.987Z")))
                .isEqualTo("2026-12-05T12:00:09Z");
    }

    private static Pod pod(String phase, io.fabric8.kubernetes.api.model.ContainerStatus... s) {
        return new PodBuilder()
                .withNewStatus()
                .withPhase(phase)
                .withContainerStatuses(s)
                .endStatus()
                .build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus ended(
            String name, int code, String reason) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewTerminated()
                .withExitCode(code)
                .withReason(reason)
                .withStartedAt("2026-12-05T12:00:0" + (name.equals("job") ? 1 : 2) + "Z")
                .withFinishedAt("2026-12-05T12:00:09Z")
                .endTerminated()
                .endState()
                .build();
    }
}
