package io.daskkubernetes.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a scheduler pod to become ready, and fails as soon as it never will, quoting the reason
 * Kubernetes gives and the last lines of the scheduler's log.
 */
final class SchedulerReadiness {

    static final int LOG_LINES_QUOTED = 20;

    private final KubernetesClient client;

    SchedulerReadiness(KubernetesClient client) {
        this.client = client;
    }

    void await(String namespace, String podName, Duration timeout) {
        PodResource resource = client.pods().inNamespace(namespace).withName(podName);
        Pod last;
        try {
            last =
                    resource.waitUntilCondition(
                            pod ->
                                    PodProblems.ready(pod)
                                            || PodProblems.fatalProblem(pod).isPresent(),
                            timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new ClusterException(
                    "scheduler pod "
                            + namespace
                            + "/"
                            + podName
                            + " was not ready after "
                            + timeout.toSeconds()
                            + " s (kubernetes.scheduler-service-wait-timeout)"
                            + logTail(resource)
                            + "\nraise kubernetes.scheduler-service-wait-timeout if the scheduler is only slow to start",
                    e);
        }
        if (PodProblems.ready(last)) {
            return;
        }
        Optional<String> problem = PodProblems.fatalProblem(last);
        throw new ClusterException(
                "scheduler pod "
                        + namespace
                        + "/"
                        + podName
                        + " cannot start: "
                        + problem.orElse("unknown reason")
                        + logTail(resource));
    }

    private static String logTail(PodResource resource) {
        try {
            String tail = resource.tailingLines(LOG_LINES_QUOTED).getLog();
            return tail == null || tail.isBlank()
                    ? "\n(the scheduler wrote no log)"
                    : "\nlast lines of its log:\n" + tail.stripTrailing();
        } catch (RuntimeException e) {
            return "\n(its log could not be read: " + e.getMessage() + ")";
        }
    }
}
