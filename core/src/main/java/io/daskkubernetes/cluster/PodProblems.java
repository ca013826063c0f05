package io.daskkubernetes.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Optional;
import java.util.Set;

/** Reads a pod's status the way a person would: is it ready, and if it will never be, why not. */
final class PodProblems {

    /** Waiting reasons from which a pod does not recover by itself. */
    private static final Set<String> FATAL_WAITING_REASONS =
            Set.of(
                    "ErrImagePull",
                    "ImagePullBackOff",
                    "InvalidImageName",
                    "CrashLoopBackOff",
                    "CreateContainerConfigError",
                    "CreateContainerError",
                    "RunContainerError");

    private PodProblems() {}

    static boolean ready(Pod pod) {
        if (pod == null || pod.getStatus() == null) {
            return false;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }

    /** Why this pod will never become ready, or empty while it still may. */
    static Optional<String> fatalProblem(Pod pod) {
        if (pod == null) {
            return Optional.of("the pod was deleted");
        }
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
            var state = container.getState();
            if (state == null) {
                continue;
            }
            if (state.getTerminated() != null) {
                var terminated = state.getTerminated();
                return Optional.of(
                        "container "
                                + container.getName()
                                + " exited with code "
                                + terminated.getExitCode()
                                + reasonSuffix(terminated.getReason(), terminated.getMessage()));
            }
            if (state.getWaiting() != null
                    && FATAL_WAITING_REASONS.contains(state.getWaiting().getReason())) {
                return Optional.of(
                        "container "
                                + container.getName()
                                + " is waiting"
                                + reasonSuffix(
                                        state.getWaiting().getReason(),
                                        state.getWaiting().getMessage()));
            }
        }
        if ("Failed".equals(pod.getStatus().getPhase())
                || "Succeeded".equals(pod.getStatus().getPhase())) {
            return Optional.of(
                    "the pod's phase is "
                            + pod.getStatus().getPhase()
                            + reasonSuffix(
                                    pod.getStatus().getReason(), pod.getStatus().getMessage()));
        }
        return Optional.empty();
    }

    private static String reasonSuffix(String reason, String message) {
        StringBuilder text = new StringBuilder();
        if (reason != null && !reason.isBlank()) {
            text.append(" (").append(reason).append(')');
        }
        if (message != null && !message.isBlank()) {
            text.append(": ").append(message.strip());
        }
        return text.toString();
    }
}
