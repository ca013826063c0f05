package io.daskkubernetes.cluster;

import io.daskkubernetes.model.AdaptiveBounds;
import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.SchedulerPorts;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The clusters that exist in Kubernetes, found by their owner objects' labels, and what another
 * process may do to them: list, scale, read logs, delete. This is how the command line acts on a
 * cluster that a different process started.
 */
public final class ClusterCatalog {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KubernetesClient client;

    public ClusterCatalog(KubernetesClient client) {
        this.client = client;
    }

    /** Clusters in {@code namespace}, or in every namespace when it is null. */
    public List<ClusterSummary> list(String namespace) {
        var owners =
                namespace == null
                        ? client.configMaps()
                                .inAnyNamespace()
                                .withLabel(DaskLabels.COMPONENT, DaskLabels.COMPONENT_CLUSTER)
                        : client.configMaps()
                                .inNamespace(namespace)
                                .withLabel(DaskLabels.COMPONENT, DaskLabels.COMPONENT_CLUSTER);
        List<ClusterSummary> summaries = new ArrayList<>();
        for (ConfigMap owner : owners.list().getItems()) {
            summaries.add(summarize(owner));
        }
        return summaries;
    }

    public ClusterSummary get(String namespace, String name) {
        return summarize(owner(namespace, name));
    }

    /**
     * Scales a cluster started elsewhere, retiring workers through its scheduler as {@link
     * KubeCluster#scale} does, at most to the {@code kubernetes.count.max} it was started with.
     * Only the cluster's owner object is read, not this machine's configuration.
     *
     * @return the number of workers aimed at after that clamp
     */
    public int scale(String namespace, String name, int workers) {
        return scale(namespace, name, workers, Instant.now()).reached();
    }

    /**
     * As {@link #scale(String, String, int)} for a request made at {@code requestedAt} (a command's
     * start): the count is stored on the cluster's owner and the pods are moved toward the stored
     * count, so that of overlapping scale requests the last one made wins.
     */
    public ScaleResult scale(String namespace, String name, int workers, Instant requestedAt) {
        ConfigMap owner = owner(namespace, name);
        Optional<AdaptiveBounds> adapting = AdaptiveBounds.of(owner);
        if (adapting.isPresent()) {
            throw new ClusterException(
                    "cluster "
                            + name
                            + " adapts between "
                            + adapting.get().minimum()
                            + " and "
                            + adapting.get().maximum()
                            + " workers, and its adaptive loop would undo a scale to "
                            + workers
                            + "; stop adapting in the process that runs it (scale() there stops it),"
                            + " or start it with --workers instead of --adapt");
        }
        ClusterModel model = ClusterModel.fromOwner(owner, new SecureRandom());
        ExecutorService creators = Executors.newFixedThreadPool(4);
        try (SchedulerEndpoint endpoint = reachScheduler(owner, model);
                SchedulerClient scheduler =
                        TlsSchedulerAccess.connect(client, model, endpoint, WAIT)) {
            WorkerPool pool =
                    new WorkerPool(
                            client, model, () -> scheduler, model.settings().countMax(), creators);
            ConvergentScaler.Result result =
                    new ConvergentScaler(
                                    new DesiredWorkerCount(client, namespace, name),
                                    pool,
                                    model.settings().countMax(),
                                    name)
                            .scale(workers, requestedAt);
            return new ScaleResult(result.requested(), result.reached());
        } catch (IOException e) {
            throw new ClusterException(
                    "could not close the way to the scheduler of " + name + ": " + e.getMessage(),
                    e);
        } finally {
            creators.shutdownNow();
        }
    }

    /**
     * The scheduler's log (when it runs in a pod) and each worker's, by pod name; only one worker
     * when named.
     */
    public Map<String, String> logs(String namespace, String name, String worker) {
        owner(namespace, name);
        Map<String, String> logs = new LinkedHashMap<>();
        for (Pod pod : pods(namespace, name)) {
            String podName = pod.getMetadata().getName();
            boolean isScheduler =
                    DaskLabels.COMPONENT_SCHEDULER.equals(
                            pod.getMetadata().getLabels().get(DaskLabels.COMPONENT));
            if (worker == null ? true : podName.equals(worker) && !isScheduler) {
                logs.put(podName, client.pods().inNamespace(namespace).withName(podName).getLog());
            }
        }
        if (worker != null && logs.isEmpty()) {
            throw new ClusterException(
                    "cluster "
                            + name
                            + " has no worker "
                            + worker
                            + "; see 'dask-kubernetes list' for its workers");
        }
        return logs;
    }

    /** Streams one pod's log as it grows; close the watch to stop. */
    public LogWatch followLog(String namespace, String podName, OutputStream out) {
        return client.pods().inNamespace(namespace).withName(podName).watchLog(out);
    }

    /**
     * Deletes the cluster's owner and everything labelled with its name, and waits for its pods to
     * be gone.
     */
    public void delete(String namespace, String name) {
        ConfigMap owner = owner(namespace, name);
        ClusterModel model = ClusterModel.fromOwner(owner, new SecureRandom());
        new ClusterObjects(client, namespace).deleteAll(model, WAIT);
    }

    /**
     * Deletes the cluster if its lease has expired, reading its owner again first: a client that
     * renewed since it was listed keeps its cluster.
     *
     * @return the expired lease of the deleted cluster, or empty when it was not deleted
     */
    public Optional<ClusterLease> deleteIfExpired(String namespace, String name) {
        ConfigMap owner = owner(namespace, name);
        Optional<ClusterLease> lease = ClusterLeases.expired(owner, Instant.now());
        if (lease.isPresent()) {
            new ClusterObjects(client, namespace)
                    .deleteAll(ClusterModel.fromOwner(owner, new SecureRandom()), WAIT);
        }
        return lease;
    }

    private SchedulerEndpoint reachScheduler(ConfigMap owner, ClusterModel model) {
        if ("local".equals(owner.getData().get("deploy-mode"))) {
            // The scheduler runs in the process that started the cluster, at the address its
            // workers use.
            URI uri = URI.create(model.schedulerAddressInCluster());
            return SchedulerEndpoint.direct(
                    uri.getHost(), uri.getPort(), SchedulerPorts.DASHBOARD, "local scheduler");
        }
        SchedulerReadiness readiness =
                new SchedulerReadiness(
                        client, model.namespace(), model.schedulerPod().getMetadata().getName());
        return new SchedulerEndpoints(client)
                .reach(
                        model.namespace(),
                        model.schedulerService().getMetadata().getName(),
                        WAIT,
                        readiness);
    }

    private ConfigMap owner(String namespace, String name) {
        ConfigMap owner = client.configMaps().inNamespace(namespace).withName(name).get();
        if (owner == null
                || owner.getMetadata().getLabels() == null
                || !DaskLabels.COMPONENT_CLUSTER.equals(
                        owner.getMetadata().getLabels().get(DaskLabels.COMPONENT))) {
            throw new ClusterException(
                    "no Dask cluster "
                            + name
                            + " in namespace "
                            + namespace
                            + "; see 'dask-kubernetes list' (or -n NAMESPACE)");
        }
        return owner;
    }

    private List<Pod> pods(String namespace, String name) {
        return client.pods()
                .inNamespace(namespace)
                .withLabel(DaskLabels.CLUSTER_NAME, name)
                .list()
                .getItems();
    }

    private ClusterSummary summarize(ConfigMap owner) {
        String namespace = owner.getMetadata().getNamespace();
        String name = owner.getMetadata().getName();
        // Deploy mode local: the scheduler runs in the process that started the cluster, no pod.
        boolean schedulerInPod =
                owner.getData() == null || !"local".equals(owner.getData().get("deploy-mode"));
        String schedulerPhase = schedulerInPod ? "Missing" : "local";
        int workers = 0;
        int running = 0;
        for (Pod pod : pods(namespace, name)) {
            String phase =
                    pod.getStatus() == null || pod.getStatus().getPhase() == null
                            ? "Pending"
                            : pod.getStatus().getPhase();
            String component = pod.getMetadata().getLabels().get(DaskLabels.COMPONENT);
            if (DaskLabels.COMPONENT_SCHEDULER.equals(component)) {
                schedulerPhase =
                        pod.getMetadata().getDeletionTimestamp() != null ? "Terminating" : phase;
            } else if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                workers++;
                if ("Running".equals(phase)) {
                    running++;
                }
            }
        }
        String created = owner.getMetadata().getCreationTimestamp();
        String inCluster =
                owner.getData() == null ? null : owner.getData().get("scheduler-address");
        return new ClusterSummary(
                name,
                namespace,
                owner.getMetadata().getLabels().get(DaskLabels.USER),
                schedulerPhase,
                workers,
                running,
                inCluster,
                addressFromHere(namespace, name, inCluster),
                created == null ? null : Instant.parse(created),
                ClusterLeases.state(owner, Instant.now()));
    }

    /**
     * The first of the scheduler's outside addresses that accepts a connection from here: the
     * Service's load balancer, then its cluster IP (routable on the local runtime and from inside
     * the cluster network); for deploy mode local, the address the workers use.
     */
    private String addressFromHere(String namespace, String name, String inCluster) {
        List<String> candidates = new ArrayList<>();
        Service service = client.services().inNamespace(namespace).withName(name).get();
        if (service != null) {
            if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null) {
                for (var ingress : service.getStatus().getLoadBalancer().getIngress()) {
                    String host = ingress.getIp() != null ? ingress.getIp() : ingress.getHostname();
                    if (host != null) {
                        candidates.add("tcp://" + host + ":" + SchedulerPorts.COMM);
                    }
                }
            }
            String clusterIp = service.getSpec().getClusterIP();
            if (clusterIp != null && !clusterIp.isBlank() && !clusterIp.equals("None")) {
                candidates.add("tcp://" + clusterIp + ":" + SchedulerPorts.COMM);
            }
        } else if (inCluster != null) {
            candidates.add(inCluster);
        }
        return candidates.stream().filter(ClusterCatalog::answers).findFirst().orElse(null);
    }

    /**
     * What a scale request did.
     *
     * @param requested the count asked for, after {@code kubernetes.count.max}
     * @param reached the count the cluster was brought to: a later request may have changed it
     */
    public record ScaleResult(int requested, int reached) {

        public boolean superseded() {
            return requested != reached;
        }
    }

    private static boolean answers(String address) {
        URI uri = URI.create(address);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 300);
            return true;
        } catch (IOException unreachable) {
            return false;
        }
    }
}
