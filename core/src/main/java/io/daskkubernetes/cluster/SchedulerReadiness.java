package io.daskkubernetes.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waits for a scheduler pod to start (its containers running, or Ready), and fails as soon as it
 * never will, quoting the reason Kubernetes gives and the last lines of the scheduler's log.
 *
 * <p>Started, not Ready: the scheduler's Service publishes not-ready addresses, so the client can
 * reach the scheduler the moment it listens instead of at the kubelet's next readiness probe, up to
 * a probe period (1 s) later.
 */
final class SchedulerReadiness {

    static final int LOG_LINES_QUOTED = 20;

    private final KubernetesClient client;
    private final String namespace;
    private final String podName;

    SchedulerReadiness(KubernetesClient client, String namespace, String podName) {
        this.client = client;
        this.namespace = namespace;
        this.podName = podName;
    }

    /** Waits until the pod's containers run (or it is Ready); fails fast when it cannot start. */
    void awaitStarted(Duration timeout) {
        await(pod -> PodProblems.ready(pod) || containersRunning(pod), "start", timeout);
    }

    /**
     * Waits until the pod is Ready, for the ways of reaching it that cannot tell a scheduler still
     * starting from one that is not there (a port-forward accepts before the pod answers).
     */
    void awaitReady(Duration timeout) {
        await(PodProblems::ready, "become ready", timeout);
    }

    private void await(Predicate<Pod> done, String what, Duration timeout) {
        PodResource resource = pod();
        Pod last;
        try {
            last =
                    resource.waitUntilCondition(
                            pod ->
                                    pod != null
                                            && (done.test(pod)
                                                    || PodProblems.fatalProblem(pod).isPresent()),
                            timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new ClusterException(
                    "scheduler pod "
                            + namespace
                            + "/"
                            + podName
                            + " did not "
                            + what
                            + " in "
                            + timeout.toSeconds()
                            + " s (kubernetes.scheduler-service-wait-timeout)"
                            + logTail(resource)
                            + "\nraise kubernetes.scheduler-service-wait-timeout if the scheduler is only slow to start",
                    e);
        }
        failIfFatal(last);
    }

    /**
     * Throws, with the reason and the log's tail, when the pod has failed or crash-loops; for
     * callers that wait for the scheduler to answer and must not wait for one that never will.
     */
    void failIfFailed() {
        failIfFatal(pod().get());
    }

    private void failIfFatal(Pod pod) {
        if (pod == null) {
            throw new ClusterException(
                    "scheduler pod " + namespace + "/" + podName + " was deleted while starting");
        }
        Optional<String> problem = PodProblems.fatalProblem(pod);
        if (problem.isPresent()) {
            throw new ClusterException(
                    "scheduler pod "
                            + namespace
                            + "/"
                            + podName
                            + " cannot start: "
                            + problem.get()
                            + logTail(pod()));
        }
    }

    private static boolean containersRunning(Pod pod) {
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
            return false;
        }
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        return statuses != null
                && !statuses.isEmpty()
                && statuses.stream()
                        .allMatch(s -> s.getState() != null && s.getState().getRunning() != null);
    }

    private PodResource pod() {
        return client.pods().inNamespace(namespace).withName(podName);
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
