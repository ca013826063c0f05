package io.daskkubernetes.local.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Future;

/**
 * The state of one container of a pod across its runs, as the status reports it: waiting (with a
 * reason), running, or terminated (exit code and reason), the restart count and the previous run.
 * Guarded by the owning {@link PodRunner}.
 */
final class ContainerRun {

    enum Phase {
        WAITING,
        RUNNING,
        TERMINATED
    }

    final Container spec;
    final boolean init;

    Phase phase = Phase.WAITING;
    String waitingReason = "ContainerCreating";
    String waitingMessage;
    int restartCount;
    int runs;
    ContainerProcess process;
    ContainerStateTerminated terminated;
    ContainerStateTerminated lastTerminated;
    boolean ready;

    /**
     * Whether its startup probe has passed (true at once without one): then it counts as started.
     */
    boolean startupPassed;

    Path currentLog;
    Path previousLog;
    Future<?> pendingRestart;

    /** The environment and working directory of the current run, for exec. */
    java.util.Map<String, String> environment;

    Path workingDirectory;

    ContainerRun(Container spec, boolean init) {
        this.spec = spec;
        this.init = init;
    }

    String name() {
        return spec.getName();
    }

    boolean hasReadinessProbe() {
        return spec.getReadinessProbe() != null;
    }

    void running(ContainerProcess started, Path log) {
        previousLog = currentLog;
        currentLog = log;
        process = started;
        phase = Phase.RUNNING;
        waitingReason = null;
        waitingMessage = null;
        startupPassed = spec.getStartupProbe() == null;
        ready = startupPassed && !hasReadinessProbe();
        runs++;
    }

    void exited(int exitCode, Instant finishedAt) {
        terminated =
                new ContainerStateTerminatedBuilder()
                        .withExitCode(exitCode)
                        .withReason(exitCode == 0 ? "Completed" : "Error")
                        .withStartedAt(process.startedAt().toString())
                        .withFinishedAt(finishedAt.toString())
                        .withContainerID(containerId())
                        .build();
        phase = Phase.TERMINATED;
        ready = false;
    }

    /**
     * A run that could not even start (no such program): exit code 128 and reason StartError, as
     * containerd says.
     */
    void failedToStart(String message, Instant now) {
        terminated =
                new ContainerStateTerminatedBuilder()
                        .withExitCode(128)
                        .withReason("StartError")
                        .withMessage(message)
                        .withStartedAt(now.toString())
                        .withFinishedAt(now.toString())
                        .build();
        phase = Phase.TERMINATED;
        ready = false;
    }

    void waiting(String reason, String message) {
        phase = Phase.WAITING;
        waitingReason = reason;
        waitingMessage = message;
        ready = false;
    }

    /** Moves the current terminated state to lastState before a restart. */
    void restarting(String backOffMessage) {
        lastTerminated = terminated;
        terminated = null;
        restartCount++;
        waiting(backOffMessage == null ? "ContainerCreating" : "CrashLoopBackOff", backOffMessage);
    }

    boolean succeeded() {
        return phase == Phase.TERMINATED && terminated.getExitCode() == 0;
    }

    private String containerId() {
        return process == null ? null : "local://" + process.pid();
    }

    ContainerStatus status() {
        ContainerState state;
        switch (phase) {
            case RUNNING:
                state =
                        new ContainerStateBuilder()
                                .withNewRunning()
                                .withStartedAt(process.startedAt().toString())
                                .endRunning()
                                .build();
                break;
            case TERMINATED:
                state = new ContainerStateBuilder().withTerminated(terminated).build();
                break;
            default:
                state =
                        new ContainerStateBuilder()
                                .withNewWaiting()
                                .withReason(waitingReason)
                                .withMessage(waitingMessage)
                                .endWaiting()
                                .build();
        }
        ContainerState last =
                lastTerminated == null
                        ? new ContainerState()
                        : new ContainerStateBuilder().withTerminated(lastTerminated).build();
        return new ContainerStatusBuilder()
                .withName(spec.getName())
                .withImage(spec.getImage() == null ? "" : spec.getImage())
                .withImageID("")
                .withContainerID(phase == Phase.WAITING ? null : containerId())
                .withReady(ready)
                .withStarted(phase == Phase.RUNNING && startupPassed)
                .withRestartCount(restartCount)
                .withState(state)
                .withLastState(last)
                .build();
    }
}
