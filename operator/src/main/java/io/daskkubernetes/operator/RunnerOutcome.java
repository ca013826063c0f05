package io.daskkubernetes.operator;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a job's runner pod tells of how the job went: its phase, and once a container has ended, the
 * container that decides the outcome (the first that failed, else the first that ended), with its
 * exit code, reason and times.
 *
 * @param phase the pod's phase (Pending, Running, Succeeded, Failed, Unknown)
 * @param container the deciding container's name, or null while none has ended
 * @param exitCode its exit code, or null
 * @param reason its termination reason (Completed, Error, OOMKilled...), or null
 * @param startedAt when the runner started (RFC 3339), or null before
 * @param finishedAt when the deciding container ended (RFC 3339), or null before
 */
record RunnerOutcome(
        String phase,
        String container,
        Integer exitCode,
        String reason,
        String startedAt,
        String finishedAt) {

    static RunnerOutcome of(Pod pod) {
        String phase =
                pod.getStatus() == null || pod.getStatus().getPhase() == null
                        ? "Pending"
                        : pod.getStatus().getPhase();
        List<ContainerStatus> statuses =
                pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                        ? List.of()
                        : pod.getStatus().getContainerStatuses();
        String startedAt =
                statuses.stream()
                        .map(RunnerOutcome::startTime)
                        .flatMap(Optional::stream)
                        .min(Comparator.naturalOrder())
                        .orElse(pod.getStatus() == null ? null : pod.getStatus().getStartTime());
        Optional<ContainerStatus> deciding =
                statuses.stream()
                        .filter(s -> terminated(s) != null && nonZero(terminated(s)))
                        .findFirst()
                        .or(() -> statuses.stream().filter(s -> terminated(s) != null).findFirst());
        if (deciding.isEmpty()) {
            return new RunnerOutcome(phase, null, null, null, startedAt, null);
        }
        ContainerStateTerminated ended = terminated(deciding.get());
        return new RunnerOutcome(
                phase,
                deciding.get().getName(),
                ended.getExitCode(),
                ended.getReason(),
                startedAt,
                ended.getFinishedAt());
    }

    boolean running() {
        return "Running".equals(phase);
    }

    boolean succeeded() {
        return "Succeeded".equals(phase);
    }

    boolean failed() {
        return "Failed".equals(phase);
    }

    private static Optional<String> startTime(ContainerStatus status) {
        if (status.getState() == null) {
            return Optional.empty();
        }
        if (status.getState().getRunning() != null) {
            return Optional.ofNullable(status.getState().getRunning().getStartedAt());
        }
        if (status.getState().getTerminated() != null) {
            return Optional.ofNullable(status.getState().getTerminated().getStartedAt());
        }
        return Optional.empty();
    }

    private static ContainerStateTerminated terminated(ContainerStatus status) {
        return status.getState() == null ? null : status.getState().getTerminated();
    }

    private static boolean nonZero(ContainerStateTerminated ended) {
        return ended.getExitCode() != null && ended.getExitCode() != 0;
    }
}
