package io.daskkubernetes.ui;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is wrong with a cluster, in words: a scheduler that does not answer, pods that crash-loop,
 * worker pods that failed and are not replaced yet. A failed worker pod stops being a problem once
 * the cluster is back at its desired count (it was replaced) or the pod is gone.
 */
final class ClusterProblems {

    /** Restarts from which a pod counts as crash-looping even between back-offs. */
    static final int CRASH_LOOP_RESTARTS = 3;

    private ClusterProblems() {}

    static List<String> of(
            ClusterKey key,
            List<Pod> workerPods,
            Optional<Pod> schedulerPod,
            Integer desired,
            int liveWorkers,
            Optional<SchedulerSample> sample) {
        List<String> problems = new ArrayList<>();
        boolean schedulerInPod = schedulerPod.isPresent() || !key.classic();
        if (schedulerPod.isPresent()) {
            String phase = ClusterFacts.phase(schedulerPod.get());
            if (!"Running".equals(phase) && !"Pending".equals(phase)) {
                problems.add(
                        "scheduler pod "
                                + schedulerPod.get().getMetadata().getName()
                                + " is "
                                + phase
                                + failure(schedulerPod.get()).map(f -> ": " + f).orElse(""));
            }
        } else if (schedulerInPod) {
            problems.add("no scheduler pod");
        }
        sample.filter(s -> !s.answered())
                .ifPresent(
                        s ->
                                problems.add(
                                        "scheduler unreachable"
                                                + (s.address() == null ? "" : " at " + s.address())
                                                + ": "
                                                + s.problem()));
        for (Pod pod : workerPods) {
            crashLoop(pod).ifPresent(problems::add);
            if (!ClusterFacts.live(pod)
                    && "Failed".equals(ClusterFacts.phase(pod))
                    && (desired == null || liveWorkers < desired)) {
                problems.add(
                        "worker pod "
                                + pod.getMetadata().getName()
                                + " failed"
                                + failure(pod).map(f -> ": " + f).orElse("")
                                + "; not replaced yet");
            }
        }
        return problems;
    }

    /** A worker pod that failed while the cluster is back at its desired count was replaced. */
    static boolean replaced(Pod pod, Integer desired, int liveWorkers) {
        return "Failed".equals(ClusterFacts.phase(pod))
                && desired != null
                && liveWorkers >= desired;
    }

    static int restarts(Pod pod) {
        if (pod.getStatus() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
                .sum();
    }

    private static Optional<String> crashLoop(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
            var waiting = container.getState() == null ? null : container.getState().getWaiting();
            int restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
            if ((waiting != null && "CrashLoopBackOff".equals(waiting.getReason()))
                    || restarts >= CRASH_LOOP_RESTARTS) {
                return Optional.of(
                        "pod "
                                + pod.getMetadata().getName()
                                + " is crash-looping ("
                                + restarts
                                + (restarts == 1 ? " restart" : " restarts")
                                + " of container "
                                + container.getName()
                                + ")");
            }
        }
        return Optional.empty();
    }

    /** How the pod's first ended container ended, e.g. "container dask exited with code 137". */
    static Optional<String> failure(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
            var terminated =
                    container.getState() == null ? null : container.getState().getTerminated();
            if (terminated != null) {
                return Optional.of(
                        "container "
                                + container.getName()
                                + " exited with code "
                                + terminated.getExitCode()
                                + (terminated.getReason() == null
                                        ? ""
                                        : " (" + terminated.getReason() + ")"));
            }
        }
        return Optional.ofNullable(pod.getStatus().getReason());
    }
}
