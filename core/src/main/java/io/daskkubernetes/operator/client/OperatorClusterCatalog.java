package io.daskkubernetes.operator.client;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.cluster.ClusterSummary;
import io.daskkubernetes.cluster.SchedulerAccess;
import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.SchedulerPorts;
import io.daskkubernetes.model.SpecException;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DaskClusters that exist, whoever made them, and what the command line does to them: list,
 * scale, read logs, delete. The operator-made counterpart of {@link
 * io.daskkubernetes.cluster.ClusterCatalog}, with the same summaries.
 */
public final class OperatorClusterCatalog {

    private static final Logger log = LoggerFactory.getLogger(OperatorClusterCatalog.class);

    private final KubernetesClient client;

    public OperatorClusterCatalog(KubernetesClient client) {
        this.client = client;
    }

    /**
     * DaskClusters in {@code namespace}, or in every namespace when it is null; none when this
     * Kubernetes has no DaskCluster CRD (no operator installed).
     */
    public List<ClusterSummary> list(String namespace) {
        List<DaskCluster> clusters;
        try {
            var all = client.resources(DaskCluster.class);
            clusters =
                    (namespace == null ? all.inAnyNamespace() : all.inNamespace(namespace))
                            .list()
                            .getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                log.debug(
                        "No DaskCluster CRD here, so no operator-made clusters: {}",
                        e.getMessage());
                return List.of();
            }
            throw e;
        }
        List<ClusterSummary> summaries = new ArrayList<>();
        for (DaskCluster cluster : clusters) {
            summaries.add(summarize(cluster));
        }
        return summaries;
    }

    /** Whether a DaskCluster {@code name} exists in {@code namespace}. */
    public boolean exists(String namespace, String name) {
        try {
            return resources(namespace).cluster(name).get() != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes the DaskCluster and waits until its pods are gone. */
    public void delete(String namespace, String name) {
        requireExists(namespace, name);
        OperatorKubeCluster.deleteAndWait(resources(namespace), name);
    }

    /** Scales the default worker group (and stops adaptive scaling), as upstream's scale. */
    public void scale(String namespace, String name, int workers) {
        OperatorScaling.scale(resources(namespace), name, workers, OperatorManifests.DEFAULT_GROUP);
    }

    /** The logs of the cluster's pods, the scheduler's first. */
    public Map<String, String> logs(String namespace, String name) {
        requireExists(namespace, name);
        return new OperatorClusterLogs(client, namespace, name).all();
    }

    private void requireExists(String namespace, String name) {
        if (!exists(namespace, name)) {
            throw new ClusterException(
                    "no Dask cluster "
                            + name
                            + " in namespace "
                            + namespace
                            + "; see 'dask-kubernetes list' (or -n NAMESPACE)");
        }
    }

    private OperatorResources resources(String namespace) {
        return new OperatorResources(client, namespace);
    }

    private ClusterSummary summarize(DaskCluster cluster) {
        String name = cluster.getMetadata().getName();
        String namespace = cluster.getMetadata().getNamespace();
        List<Pod> pods =
                client.pods()
                        .inNamespace(namespace)
                        .withLabel(DaskLabels.CLUSTER_NAME, name)
                        .list()
                        .getItems();
        String schedulerPhase = "Missing";
        int workers = 0;
        int running = 0;
        for (Pod pod : pods) {
            String component = pod.getMetadata().getLabels().get(DaskLabels.COMPONENT);
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (DaskLabels.COMPONENT_SCHEDULER.equals(component)) {
                schedulerPhase =
                        pod.getMetadata().getDeletionTimestamp() != null ? "Terminating" : phase;
            } else if (DaskLabels.COMPONENT_WORKER.equals(component)
                    && !"Succeeded".equals(phase)
                    && !"Failed".equals(phase)) {
                workers++;
                if ("Running".equals(phase)) {
                    running++;
                }
            }
        }
        String inCluster =
                "tcp://"
                        + OperatorManifests.schedulerName(name)
                        + "."
                        + namespace
                        + ".svc.cluster.local:"
                        + SchedulerPorts.COMM;
        String created = cluster.getMetadata().getCreationTimestamp();
        return new ClusterSummary(
                name,
                namespace,
                cluster.getMetadata().getLabels() == null
                        ? null
                        : cluster.getMetadata().getLabels().get(DaskLabels.USER),
                schedulerPhase,
                workers,
                running,
                inCluster,
                addressFromHere(namespace, name),
                created == null ? null : Instant.parse(created),
                leaseState(cluster),
                ClusterSummary.KIND_OPERATOR);
    }

    /** The Service's cluster IP when the scheduler answers there from this machine. */
    private String addressFromHere(String namespace, String name) {
        Service service =
                client.services()
                        .inNamespace(namespace)
                        .withName(OperatorManifests.schedulerName(name))
                        .get();
        if (service == null || service.getSpec() == null) {
            return null;
        }
        String ip = service.getSpec().getClusterIP();
        if (ip == null || ip.isBlank() || "None".equals(ip)) {
            return null;
        }
        return SchedulerAccess.reachable(ip, SchedulerPorts.COMM)
                ? "tcp://" + ip + ":" + SchedulerPorts.COMM
                : null;
    }

    private static String leaseState(DaskCluster cluster) {
        try {
            return ClusterLease.of(cluster)
                    .map(
                            lease ->
                                    lease.expired(Instant.now())
                                            ? ClusterSummary.LEASE_EXPIRED
                                            : ClusterSummary.LEASE_HELD)
                    .orElse(ClusterSummary.LEASE_NONE);
        } catch (SpecException e) {
            log.warn("{}", e.getMessage());
            return ClusterSummary.LEASE_UNREADABLE;
        }
    }
}
