package io.daskkubernetes.operator;

import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerClients;
import io.daskkubernetes.scheduler.SchedulerException;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client per running scheduler, reached at its pod's IP (the pod network is flat on a cluster
 * and on the local runtime, and a pod IP needs no DNS from where the operator runs). A client that
 * fails is dropped and made again on the next question.
 */
final class SchedulerConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerConnections.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, SchedulerClient> clients = new ConcurrentHashMap<>();

    /** Counts the schedulers that did not answer and the clients that failed mid-call. */
    private volatile SchedulerErrorCounter errors = SchedulerErrorCounter.NONE;

    /** Counts errors in {@code registry} from now on ({@code /metrics}). */
    void countErrorsIn(io.micrometer.core.instrument.MeterRegistry registry) {
        errors = new SchedulerErrorCounter(registry);
    }

    /**
     * A client of the scheduler running in {@code schedulerPod}, or the reason there is none: the
     * pod is not running, has no IP yet, or the scheduler does not answer.
     */
    Reachable reach(Pod schedulerPod) {
        if (schedulerPod == null) {
            return Reachable.not("the scheduler pod does not exist");
        }
        String ip = schedulerPod.getStatus() == null ? null : schedulerPod.getStatus().getPodIP();
        if (ip == null || !"Running".equals(schedulerPod.getStatus().getPhase())) {
            return Reachable.not("the scheduler pod is not running yet");
        }
        String tcp = "tcp://" + ip + ":" + port(schedulerPod, "tcp-comm", 8786);
        SchedulerClient existing = clients.get(tcp);
        if (existing != null) {
            return Reachable.by(existing);
        }
        try {
            URI dashboard =
                    URI.create("http://" + ip + ":" + port(schedulerPod, "http-dashboard", 8787));
            SchedulerClient client = SchedulerClients.connect(tcp, dashboard, TIMEOUT);
            clients.put(tcp, client);
            return Reachable.by(client);
        } catch (SchedulerException e) {
            errors.connectFailed();
            return Reachable.not("the scheduler at " + tcp + " does not answer: " + e.getMessage());
        }
    }

    /** Forgets a client after it failed, so that the next question connects anew. */
    void drop(SchedulerClient client) {
        errors.callFailed();
        clients.values().removeIf(c -> c == client);
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.debug("closing a failed scheduler client", e);
        }
    }

    static int port(Pod pod, String name, int fallback) {
        return pod.getSpec().getContainers().stream()
                .flatMap(
                        c ->
                                c.getPorts() == null
                                        ? java.util.stream.Stream.empty()
                                        : c.getPorts().stream())
                .filter(p -> name.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElse(fallback);
    }

    @Override
    public void close() {
        clients.values().forEach(SchedulerClient::close);
        clients.clear();
    }

    /** A scheduler client, or why there is none. */
    record Reachable(Optional<SchedulerClient> client, String problem) {
        static Reachable by(SchedulerClient client) {
            return new Reachable(Optional.of(client), null);
        }

        static Reachable not(String problem) {
            return new Reachable(Optional.empty(), problem);
        }
    }
}
