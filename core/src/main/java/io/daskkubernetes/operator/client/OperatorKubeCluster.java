package io.daskkubernetes.operator.client;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.cluster.LeaseRenewer;
import io.daskkubernetes.cluster.SchedulerEndpoint;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.model.DashboardLink;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Dask cluster made by the Dask operator: the JVM twin of Python's operator-era {@code
 * dask_kubernetes.operator.KubeCluster}. It creates a {@code DaskCluster} (kubernetes.dask.org/v1)
 * and lets the operator make the scheduler and workers, rather than making pods itself as the
 * classic {@link io.daskkubernetes.cluster.KubeCluster} does. Named {@code OperatorKubeCluster} so
 * that it sits beside {@code KubeCluster} in an IDE's completion and says how it differs.
 *
 * <pre>{@code
 * try (OperatorKubeCluster cluster =
 *         OperatorKubeCluster.builder().name("my-dask").workers(2).start()) {
 *     String address = cluster.schedulerAddress();   // give it to a Dask Client
 *     cluster.scale(5);                              // or cluster.adapt(1, 10)
 *     cluster.addWorkerGroup("highmem", 2);
 * }   // deletes the DaskCluster (and with it everything the operator made)
 * }</pre>
 *
 * {@link #fromName} connects to a DaskCluster that exists (made by kubectl, Helm, another process);
 * closing that one leaves it running. A cluster this client created carries a lease (annotations
 * {@code dask.org/lease-*}) that it renews while it lives, so that an operator can delete the
 * cluster of a client that died without closing it.
 */
public final class OperatorKubeCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperatorKubeCluster.class);
    private static final Duration WORKER_POLL = Duration.ofMillis(250);
    private static final Duration DELETION_WAIT = Duration.ofSeconds(60);

    private final OperatorResources resources;
    private final boolean ownsClient;
    private final String name;
    private final boolean createdHere;
    private final LeaseRenewer leaseRenewer;
    private final SchedulerEndpoint endpoint;
    private final SchedulerClient scheduler;
    private final String dashboardTemplate;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    OperatorKubeCluster(
            OperatorResources resources,
            boolean ownsClient,
            String name,
            boolean createdHere,
            LeaseRenewer leaseRenewer,
            SchedulerEndpoint endpoint,
            SchedulerClient scheduler,
            String dashboardTemplate,
            boolean closeAtExit) {
        this.resources = resources;
        this.ownsClient = ownsClient;
        this.name = name;
        this.createdHere = createdHere;
        this.leaseRenewer = leaseRenewer;
        this.endpoint = endpoint;
        this.scheduler = scheduler;
        this.dashboardTemplate = dashboardTemplate;
        this.shutdownHook =
                closeAtExit
                        ? new Thread(this::closeQuietlyAtExit, "dask-operator-close-" + name)
                        : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to the DaskCluster {@code name} of the kubeconfig's namespace; see {@link
     * Builder#connect}.
     */
    public static OperatorKubeCluster fromName(String name) {
        return builder().name(name).connect();
    }

    // --- what it is ---

    public String name() {
        return name;
    }

    public String namespace() {
        return resources.namespace();
    }

    /** Whether {@link #close} deletes the DaskCluster: only when this client created it. */
    public boolean createdHere() {
        return createdHere;
    }

    /** The scheduler's address as reachable from this process, for a Dask {@code Client}. */
    public String schedulerAddress() {
        return endpoint.tcpAddress();
    }

    /** The scheduler's address inside the cluster, as the workers use it. */
    public String schedulerAddressInCluster() {
        return "tcp://"
                + OperatorManifests.schedulerName(name)
                + "."
                + namespace()
                + ".svc.cluster.local:8786";
    }

    /** The dashboard, formatted from {@code distributed.dashboard.link}. */
    public String dashboardLink() {
        return DashboardLink.format(
                dashboardTemplate,
                "http",
                endpoint.host(),
                endpoint.dashboardPort(),
                System.getenv());
    }

    /** The DaskCluster as the API server has it now (status included). */
    public DaskCluster resource() {
        DaskCluster cluster = resources.cluster(name).get();
        if (cluster == null) {
            throw new ClusterException("DaskCluster " + namespace() + "/" + name + " is gone");
        }
        return cluster;
    }

    /** The client this cluster uses to talk to its scheduler. */
    public SchedulerClient schedulerClient() {
        return scheduler;
    }

    // --- scaling ---

    /**
     * Scales the default worker group to {@code n} workers; stops adaptive scaling, as upstream.
     */
    public void scale(int n) {
        scale(n, OperatorManifests.DEFAULT_GROUP);
    }

    /**
     * Scales worker group {@code workerGroup} ("default", or a name given to {@link
     * #addWorkerGroup}) to {@code n} workers. As upstream, this deletes the cluster's
     * DaskAutoscaler first, so that it does not undo the request. The operator retires the workers
     * the scheduler chooses when shrinking.
     */
    public void scale(int n, String workerGroup) {
        ensureOpen();
        OperatorScaling.scale(resources, name, n, workerGroup);
        log.info("Cluster {}: worker group {} scaled to {}", name, workerGroup, n);
    }

    /**
     * Lets the operator scale the default worker group between {@code minimum} and {@code maximum}
     * workers, by creating (or changing) the DaskAutoscaler named after the cluster.
     */
    public void adapt(int minimum, int maximum) {
        ensureOpen();
        DaskAutoscaler wanted = OperatorManifests.autoscaler(resource(), minimum, maximum);
        var existing = resources.autoscaler(name);
        if (existing.get() == null) {
            OperatorResources.requiringCrd(
                    "daskautoscalers",
                    () -> resources.in(DaskAutoscaler.class).resource(wanted).create());
        } else {
            existing.patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"minimum\":" + minimum + ",\"maximum\":" + maximum + "}}");
        }
        log.info("Cluster {} adapts between {} and {} workers", name, minimum, maximum);
    }

    /** A further worker group {@code <cluster>-<group>} of {@code n} workers like the default's. */
    public void addWorkerGroup(String group, int n) {
        addWorkerGroup(group, n, defaultTemplate());
    }

    /**
     * A further worker group {@code <cluster>-<group>} of {@code n} workers of {@code template}.
     */
    public void addWorkerGroup(String group, int n, WorkerTemplate template) {
        ensureOpen();
        DaskWorkerGroup wanted = OperatorManifests.workerGroup(resource(), group, template, n);
        try {
            resources.in(DaskWorkerGroup.class).resource(wanted).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new ClusterException(
                        "cluster "
                                + name
                                + " already has a worker group \""
                                + group
                                + "\"; scale it, or delete it first",
                        e);
            }
            throw e;
        }
        log.info("Cluster {}: worker group {} added with {} workers", name, group, n);
    }

    /** Deletes worker group {@code group} and its workers. */
    public void deleteWorkerGroup(String group) {
        ensureOpen();
        if (OperatorManifests.DEFAULT_GROUP.equals(group)) {
            throw new IllegalArgumentException(
                    "the default worker group goes only with the cluster; scale it to 0 instead");
        }
        resources.workerGroup(OperatorManifests.groupName(name, group)).delete();
    }

    /** The names of the cluster's worker groups ("default" and those added). */
    public List<String> workerGroups() {
        return OperatorScaling.groups(resources, name);
    }

    /**
     * Waits until {@code n} Dask workers are registered with the scheduler, as Python's {@code
     * Client.wait_for_workers}.
     */
    public void waitForWorkers(int n, Duration timeout) {
        ensureOpen();
        Instant deadline = Instant.now().plus(timeout);
        int registered;
        while ((registered = scheduler.workers().size()) < n) {
            if (Instant.now().isAfter(deadline)) {
                throw new ClusterException(
                        "only "
                                + registered
                                + " of "
                                + n
                                + " workers registered with "
                                + name
                                + " after "
                                + timeout.toSeconds()
                                + " s; see logs()");
            }
            try {
                Thread.sleep(WORKER_POLL.toMillis()); // nothing tells when a worker registers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while waiting for workers of " + name, e);
            }
        }
    }

    /** The scheduler's log first, then each worker pod's, by pod name. */
    public Map<String, String> logs() {
        return new OperatorClusterLogs(resources.client(), namespace(), name).all();
    }

    /** The default group's image, resources, env and worker command, for a group like it. */
    private WorkerTemplate defaultTemplate() {
        var worker = resource().getSpec().getWorker().getSpec().getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        if (worker.getEnv() != null) {
            worker.getEnv().stream()
                    .filter(e -> e.getValue() != null)
                    .forEach(e -> env.put(e.getName(), e.getValue()));
        }
        return new WorkerTemplate(
                worker.getImage(),
                worker.getResources(),
                env,
                OperatorManifests.workerCommandOf(worker.getArgs()));
    }

    // --- closing ---

    /**
     * Closes the connection to the scheduler (and a port-forward); deletes the DaskCluster, and
     * waits for its pods to go, when this client created it; leaves a cluster it connected to with
     * {@link #fromName} running. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // called from the hook itself
            }
        }
        try {
            if (leaseRenewer != null) {
                leaseRenewer.close();
            }
            scheduler.close();
            closeEndpoint(endpoint);
            if (createdHere) {
                log.info("Deleting DaskCluster {}/{}", namespace(), name);
                deleteAndWait(resources, name);
            } else {
                log.info("Leaving DaskCluster {}/{} running (not created here)", namespace(), name);
            }
        } finally {
            if (ownsClient) {
                resources.client().close();
            }
        }
    }

    /** Deletes a DaskCluster and waits until it and the pods the operator made for it are gone. */
    static void deleteAndWait(OperatorResources resources, String name) {
        resources.cluster(name).delete();
        try {
            resources
                    .cluster(name)
                    .waitUntilCondition(
                            c -> c == null, DELETION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            resources
                    .client()
                    .pods()
                    .inNamespace(resources.namespace())
                    .withLabel(DaskLabels.CLUSTER_NAME, name)
                    .informOnCondition(List::isEmpty)
                    .get(DELETION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("DaskCluster {}/{} and its pods are gone", resources.namespace(), name);
        } catch (KubernetesClientTimeoutException | TimeoutException | ExecutionException e) {
            throw new ClusterException(
                    "DaskCluster "
                            + resources.namespace()
                            + "/"
                            + name
                            + " was deleted, but it or its pods were still there after "
                            + DELETION_WAIT.toSeconds()
                            + " s; see kubectl get pods -l "
                            + DaskLabels.CLUSTER_NAME
                            + "="
                            + name,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while deleting DaskCluster " + name, e);
        }
    }

    private void closeQuietlyAtExit() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println(
                    "dask-kubernetes: could not close cluster " + name + " at exit: " + e);
        }
    }

    private static void closeEndpoint(SchedulerEndpoint endpoint) {
        try {
            endpoint.close();
        } catch (IOException e) {
            log.warn(
                    "Could not close the way to the scheduler ({}): {}",
                    endpoint.how(),
                    e.toString());
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cluster " + name + " is closed");
        }
    }

    @Override
    public String toString() {
        return "OperatorKubeCluster("
                + namespace()
                + "/"
                + name
                + ", scheduler="
                + schedulerAddress()
                + ")";
    }

    /**
     * Options of a cluster to create ({@link #start}) or to connect to ({@link #connect}); what is
     * not set comes from Dask's configuration ({@code kubernetes.name}, {@code image}, {@code
     * resources}, {@code env}, {@code worker-command}, {@code resource-timeout}, {@code
     * lease-duration}, {@code namespace}), as for Python's {@code KubeCluster}.
     */
    public static final class Builder {
        DaskConfig config;
        KubernetesClient client;
        String context;
        String namespace;
        String name;
        String image;
        ResourceRequirements resources;
        Map<String, String> env;
        List<String> workerCommand;
        Integer workers;
        String serviceType;
        int idleTimeoutSeconds;
        DaskCluster customCluster;
        Duration resourceTimeout;
        Duration leaseDuration;
        boolean closeAtExit = true;

        private Builder() {}

        public Builder config(DaskConfig daskConfig) {
            this.config = daskConfig;
            return this;
        }

        /** The client to use; it stays open after the cluster closes. */
        public Builder kubernetesClient(KubernetesClient kubernetesClient) {
            this.client = kubernetesClient;
            return this;
        }

        /** A kubeconfig context other than the current one (when no client is given). */
        public Builder context(String kubeContext) {
            this.context = kubeContext;
            return this;
        }

        public Builder namespace(String clusterNamespace) {
            this.namespace = clusterNamespace;
            return this;
        }

        /** The DaskCluster's name; {@code kubernetes.name} ("dask-{user}-{uuid}") otherwise. */
        public Builder name(String clusterName) {
            this.name = clusterName;
            return this;
        }

        /**
         * The image of the scheduler and workers; {@value WorkerTemplate#DEFAULT_IMAGE} by default.
         */
        public Builder image(String containerImage) {
            this.image = containerImage;
            return this;
        }

        /** Workers of the default group at start; 3 by default, as upstream. */
        public Builder workers(int n) {
            this.workers = n;
            return this;
        }

        /** Requests and limits of the scheduler and worker containers. */
        public Builder resources(ResourceRequirements containerResources) {
            this.resources = containerResources;
            return this;
        }

        /** Environment variables of the scheduler and worker containers. */
        public Builder env(Map<String, String> variables) {
            this.env = new LinkedHashMap<>(variables);
            return this;
        }

        /** The worker program and its arguments; {@code dask-worker} by default. */
        public Builder workerCommand(List<String> command) {
            this.workerCommand = List.copyOf(command);
            return this;
        }

        /** The scheduler Service's type: ClusterIP (default), NodePort or LoadBalancer. */
        public Builder serviceType(String type) {
            this.serviceType = type;
            return this;
        }

        /**
         * Seconds of scheduler idleness after which the operator deletes the cluster; 0 = never.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeoutSeconds = (int) timeout.toSeconds();
            return this;
        }

        /**
         * A full DaskCluster to create instead of one made from the few arguments above (Python's
         * {@code custom_cluster_spec}); its name is used unless {@link #name} is set.
         */
        public Builder customCluster(DaskCluster cluster) {
            this.customCluster = cluster;
            return this;
        }

        /** How long the operator may take to answer; {@code kubernetes.resource-timeout} (60 s). */
        public Builder resourceTimeout(Duration timeout) {
            this.resourceTimeout = timeout;
            return this;
        }

        /**
         * How long the cluster outlives this client's last renewal of its lease; {@code
         * kubernetes.lease-duration} (60 s) otherwise.
         */
        public Builder leaseDuration(Duration duration) {
            this.leaseDuration = duration;
            return this;
        }

        /** Whether a JVM shutdown hook closes the cluster (the default). */
        public Builder closeAtExit(boolean close) {
            this.closeAtExit = close;
            return this;
        }

        /**
         * Creates the DaskCluster, waits until the operator reports it Running and its scheduler
         * answers. Fails with one line when the CRD is missing or no operator answers within the
         * resource timeout (the DaskCluster is then deleted again).
         */
        public OperatorKubeCluster start() {
            return new OperatorClusterStart(this).create();
        }

        /**
         * Connects to the existing DaskCluster {@link #name}, waiting until it runs; closing the
         * result leaves the cluster running.
         */
        public OperatorKubeCluster connect() {
            return new OperatorClusterStart(this).connect();
        }

        DaskConfig resolvedConfig() {
            if (config == null) {
                config = DaskConfig.load();
            }
            return config;
        }
    }
}
