package io.daskkubernetes.ui;

import io.daskkubernetes.model.AdaptiveBounds;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.DesiredWorkers;
import io.daskkubernetes.model.SchedulerPorts;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Optional;

/**
 * Reads one cluster's facts from the informers' caches: desired count, adaptive bounds, worker
 * pods, the scheduler's address from here. Classic clusters and DaskClusters keep them in different
 * places; callers need not know which.
 */
final class ClusterFacts {

    private final FleetInformers fleet;

    ClusterFacts(FleetInformers fleet) {
        this.fleet = fleet;
    }

    /** The desired worker count, or null when none was recorded. */
    Integer desired(ClusterKey key) {
        if (key.classic()) {
            return fleet.owner(key)
                    .flatMap(ClusterFacts::storedDesired)
                    .map(DesiredWorkers::workers)
                    .orElse(null);
        }
        return fleet.daskCluster(key).map(ScalingDecisions::replicas).orElse(null);
    }

    private static Optional<DesiredWorkers> storedDesired(ConfigMap owner) {
        try {
            return DesiredWorkers.of(owner);
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /** {@code [minimum, maximum]} while the cluster adapts, else empty. */
    Optional<int[]> adaptiveBounds(ClusterKey key) {
        if (key.classic()) {
            try {
                return fleet.owner(key)
                        .flatMap(AdaptiveBounds::of)
                        .map(b -> new int[] {b.minimum(), b.maximum()});
            } catch (RuntimeException malformed) {
                return Optional.empty();
            }
        }
        return fleet.autoscaler(key)
                .map(DaskAutoscaler::getSpec)
                .map(s -> new int[] {s.getMinimum(), s.getMaximum()});
    }

    List<Pod> workerPods(ClusterKey key) {
        return fleet.pods(key).stream().filter(ClusterFacts::isWorker).toList();
    }

    Optional<Pod> schedulerPod(ClusterKey key) {
        return fleet.pods(key).stream()
                .filter(
                        p ->
                                DaskLabels.COMPONENT_SCHEDULER.equals(
                                        p.getMetadata().getLabels().get(DaskLabels.COMPONENT)))
                .findFirst();
    }

    /** Worker pods that have not ended and are not being deleted. */
    int liveWorkerPods(ClusterKey key) {
        return (int) workerPods(key).stream().filter(ClusterFacts::live).count();
    }

    static boolean isWorker(Pod pod) {
        return DaskLabels.COMPONENT_WORKER.equals(
                pod.getMetadata().getLabels().get(DaskLabels.COMPONENT));
    }

    static boolean live(Pod pod) {
        String phase = phase(pod);
        return pod.getMetadata().getDeletionTimestamp() == null
                && !"Failed".equals(phase)
                && !"Succeeded".equals(phase);
    }

    static String phase(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return "Terminating";
        }
        return pod.getStatus() == null || pod.getStatus().getPhase() == null
                ? "Pending"
                : pod.getStatus().getPhase();
    }

    /**
     * Where the scheduler is published: the Service's load balancer or cluster IP (routable on the
     * local runtime and from inside a cluster's network, but not from a laptop: the sampler then
     * forwards a port), or for a classic cluster whose scheduler runs in its client's process
     * (deploy mode local), the address its workers use.
     */
    Optional<SchedulerAddress> schedulerAddress(ClusterKey key) {
        if (key.classic()) {
            Optional<ConfigMap> owner = fleet.owner(key);
            if (owner.isPresent()
                    && owner.get().getData() != null
                    && "local".equals(owner.get().getData().get("deploy-mode"))) {
                String address = owner.get().getData().get("scheduler-address");
                return Optional.ofNullable(address).map(SchedulerAddress::ofComm);
            }
        }
        return fleet.schedulerService(key).flatMap(ClusterFacts::serviceAddress);
    }

    /** The scheduler's Service, through which a port-forward reaches the scheduler pod. */
    Optional<Service> schedulerService(ClusterKey key) {
        return fleet.schedulerService(key);
    }

    private static Optional<SchedulerAddress> serviceAddress(Service service) {
        if (service.getStatus() != null
                && service.getStatus().getLoadBalancer() != null
                && !service.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            var ingress = service.getStatus().getLoadBalancer().getIngress().get(0);
            String host = ingress.getIp() != null ? ingress.getIp() : ingress.getHostname();
            if (host != null) {
                return Optional.of(SchedulerAddress.ofHost(host, SchedulerAddress.LOAD_BALANCER));
            }
        }
        String clusterIp = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        if (clusterIp == null || clusterIp.isBlank() || "None".equals(clusterIp)) {
            return Optional.empty();
        }
        return Optional.of(SchedulerAddress.ofHost(clusterIp, SchedulerAddress.CLUSTER_IP));
    }

    /**
     * A scheduler's comm address, the base of its HTTP server (null when there is none to ask), and
     * how this process reaches it.
     */
    record SchedulerAddress(String comm, String dashboard, String reachedBy) {

        static final String LOAD_BALANCER = "LoadBalancer ingress";
        static final String CLUSTER_IP = "cluster IP";
        static final String CLIENT_PROCESS = "client's process";
        static final String PORT_FORWARD = "port-forward";

        static SchedulerAddress ofHost(String host, String reachedBy) {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return new SchedulerAddress(
                    "tcp://" + h + ":" + SchedulerPorts.COMM,
                    "http://" + h + ":" + SchedulerPorts.DASHBOARD,
                    reachedBy);
        }

        static SchedulerAddress ofComm(String comm) {
            java.net.URI uri = java.net.URI.create(comm);
            return new SchedulerAddress(
                    comm,
                    "http://" + uri.getHost() + ":" + SchedulerPorts.DASHBOARD,
                    CLIENT_PROCESS);
        }

        /** The host of the comm address, without brackets. */
        String host() {
            String host = java.net.URI.create(comm).getHost();
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }
    }
}
