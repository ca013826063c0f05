package io.daskkubernetes.cluster;

import io.daskkubernetes.adapt.AdaptiveLoop;
import io.daskkubernetes.config.ClusterSettingsResolver;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.LeaseDurationSetting;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.config.TlsSetting;
import io.daskkubernetes.config.UnusedConfigKeys;
import io.daskkubernetes.model.AdaptiveBounds;
import io.daskkubernetes.model.AffinityMode;
import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.ClusterSettings;
import io.daskkubernetes.model.ClusterTls;
import io.daskkubernetes.model.DashboardLink;
import io.daskkubernetes.model.DeployMode;
import io.daskkubernetes.model.PodTemplates;
import io.daskkubernetes.model.TlsCredentials;
import io.daskkubernetes.model.VersionComparison;
import io.daskkubernetes.model.WorkerState;
import io.daskkubernetes.model.adapt.AdaptiveOptions;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Dask cluster on Kubernetes: a scheduler and worker pods made from a pod template, the JVM twin
 * of Python's classic {@code dask_kubernetes.KubeCluster}.
 *
 * <pre>{@code
 * try (KubeCluster cluster = KubeCluster.fromYaml(Path.of("worker-spec.yml"))) {
 *     cluster.scale(10);                 // or cluster.adapt(1, 100)
 *     String address = cluster.schedulerAddress();   // give it to a Dask Client
 * }
 * }</pre>
 *
 * Closing it (or the JVM exiting) deletes every object and pod of the cluster.
 */
public final class KubeCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubeCluster.class);
    static final Duration POD_DELETION_WAIT = Duration.ofSeconds(60);
    private static final Duration WORKER_POLL = Duration.ofMillis(250);

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final ClusterSettings settings;
    private final ClusterModel model;
    private final ClusterObjects objects;
    private final SchedulerEndpoint endpoint;
    private final LocalSchedulerProcess localScheduler;
    private final SchedulerClient scheduler;
    private final TlsCredentials tlsCredentials;
    private final StartSpans startSpans;
    private final WorkerPool workers;
    private final DesiredWorkerCount desiredWorkers;
    private final ConvergentScaler scaler;
    private final ExecutorService podCreators;
    private final LeaseRenewer leaseRenewer;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private AdaptiveLoop adaptive;

    private KubeCluster(ClusterStart started) {
        this.client = started.client;
        this.ownsClient = started.ownsClient;
        this.settings = started.settings;
        this.model = started.model;
        this.objects = started.objects;
        this.endpoint = started.endpoint;
        this.localScheduler = started.localScheduler;
        this.scheduler = started.scheduler;
        this.tlsCredentials = started.credentials;
        this.startSpans = started.spans;
        this.podCreators = started.podCreators;
        this.leaseRenewer = started.leaseRenewer;
        this.workers =
                new WorkerPool(client, model, () -> scheduler, settings.countMax(), podCreators);
        this.desiredWorkers = new DesiredWorkerCount(client, model.namespace(), model.name());
        this.scaler = new ConvergentScaler(desiredWorkers, workers, settings.countMax(), name());
        this.shutdownHook =
                started.closeAtExit
                        ? new Thread(
                                this::closeQuietlyAtExit, "dask-cluster-cleanup-" + model.name())
                        : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    public static KubeCluster fromYaml(Path workerSpec) {
        return builder().workerTemplate(workerSpec).start();
    }

    public static KubeCluster fromMap(Map<String, Object> workerSpec) {
        return builder().workerTemplate(PodTemplates.fromMap(workerSpec)).start();
    }

    public static KubeCluster fromPod(Pod workerSpec) {
        return builder().workerTemplate(PodTemplates.fromPod(workerSpec)).start();
    }

    /**
     * A cluster from configuration alone: {@code kubernetes.worker-template-path} or {@code
     * kubernetes.worker-template}.
     */
    public static KubeCluster start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    // --- scaling ---

    /**
     * Grows or shrinks to {@code n} workers, at most {@code kubernetes.count.max} (a warning says
     * so when it clamps); stops adaptive scaling, as upstream does. The count is stored on the
     * cluster's owner first and the pods are moved toward the stored count, so that when several
     * scalers (other threads, {@code dask-kubernetes scale} elsewhere) overlap, the last request
     * wins.
     *
     * @return the number of workers reached: the request after the clamp, or a later request that
     *     arrived meanwhile
     */
    public int scale(int n) {
        stopAdapting();
        return scaler.scale(n, Instant.now()).reached();
    }

    /**
     * Grows to {@code n} workers if there are fewer; never shrinks.
     *
     * @return the number of workers aimed at
     */
    public int scaleUp(int n) {
        stopAdapting();
        return scaler.scale(Math.max(n, workers.liveCount()), Instant.now()).reached();
    }

    /** Retires and removes these workers, given by pod name, Dask worker name or Dask address. */
    public void scaleDown(Collection<String> workerNames) {
        workers.scaleDown(workerNames);
    }

    /**
     * Lets the scheduler choose the number of workers, between {@code minimum} and {@code maximum}.
     */
    public AdaptiveLoop adapt(int minimum, int maximum) {
        return adapt(AdaptiveOptions.of(minimum, maximum));
    }

    public synchronized AdaptiveLoop adapt(AdaptiveOptions options) {
        ensureOpen();
        stopAdapting();
        recordAdaptiveBounds(Optional.of(new AdaptiveBounds(options.minimum(), options.maximum())));
        adaptive =
                AdaptiveLoop.start(
                        options,
                        new RecordingAdaptiveCluster(workers, desiredWorkers, scaler),
                        model.name());
        return adaptive;
    }

    /**
     * Keeps the bounds in the owner while adapting, so that a scale from elsewhere is refused with
     * a reason instead of being undone by the loop.
     */
    private void recordAdaptiveBounds(Optional<AdaptiveBounds> bounds) {
        client.configMaps()
                .inNamespace(namespace())
                .withName(name())
                .edit(
                        owner -> {
                            ConfigMapBuilder edited = new ConfigMapBuilder(owner);
                            edited.removeFromData(AdaptiveBounds.ownerDataKeys()[0]);
                            edited.removeFromData(AdaptiveBounds.ownerDataKeys()[1]);
                            bounds.ifPresent(b -> edited.addToData(b.ownerData()));
                            return edited.build();
                        });
    }

    /**
     * The adaptive loop while the cluster adapts; empty after {@code scale}, {@code scaleUp} or
     * {@code close}.
     */
    public synchronized Optional<AdaptiveLoop> adaptive() {
        return Optional.ofNullable(adaptive);
    }

    private synchronized void stopAdapting() {
        if (adaptive != null) {
            adaptive.close();
            adaptive = null;
            if (!closed.get()) {
                recordAdaptiveBounds(Optional.empty());
            }
        }
    }

    // --- what it is ---

    public String name() {
        return model.name();
    }

    public String namespace() {
        return model.namespace();
    }

    /** The scheduler's address as reachable from this process, for a Dask {@code Client}. */
    public String schedulerAddress() {
        return model.tls() ? ClusterTls.tlsAddress(endpoint.tcpAddress()) : endpoint.tcpAddress();
    }

    /**
     * The cluster's CA, certificates and keys when it speaks TLS ({@link Builder#tls}): a client
     * needs the CA and the client certificate and key (Python: {@code
     * distributed.security.Security(tls_ca_file=..., tls_client_cert=..., tls_client_key=...,
     * require_encryption=True)}).
     */
    public Optional<TlsCredentials> tlsCredentials() {
        return Optional.ofNullable(tlsCredentials);
    }

    /** The scheduler's address inside the cluster, as workers use it. */
    public String schedulerAddressInCluster() {
        return model.schedulerAddressInCluster();
    }

    /** The dashboard, formatted from {@code distributed.dashboard.link}. */
    public String dashboardLink() {
        return DashboardLink.format(
                settings.dashboardLinkTemplate(),
                "http",
                endpoint.host(),
                endpoint.dashboardPort(),
                System.getenv());
    }

    /**
     * Why the dashboard link cannot show the dashboard (the scheduler's Dask has no bokeh), or
     * empty when it can; asks the scheduler's dashboard port once.
     */
    public Optional<String> dashboardProblem() {
        return DashboardCheck.problem(endpoint.dashboardBase());
    }

    /**
     * Packages whose versions differ between the scheduler and the workers (one line each, naming
     * every version); empty when they match. Ask it once the workers are up, before sending work:
     * mismatched environments fail late and obscurely.
     */
    public List<String> versionMismatches() {
        return versionMismatches(Map.of());
    }

    /**
     * As {@link #versionMismatches()}, with more processes compared too, such as the local Python
     * that will be the cluster's client.
     *
     * @param others package versions by a name for each process, shown after the cluster's
     */
    public List<String> versionMismatches(Map<String, Map<String, String>> others) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>(scheduler.packageVersions());
        all.putAll(others);
        return VersionComparison.differences(all);
    }

    /** How long each step of this cluster's start took. */
    public List<StartSpans.Span> startSpans() {
        return startSpans.spans();
    }

    /** The settings the cluster was started with, after configuration was applied. */
    public ClusterSettings settings() {
        return settings;
    }

    /** Every worker: its pod, phase and, once registered, its Dask address. */
    public List<WorkerState> workers() {
        return workers.states();
    }

    /**
     * Waits until {@code n} Dask workers are registered with the scheduler, as Python's {@code
     * Client.wait_for_workers}. Fails at once, with the pod's exit code and the end of its log,
     * when a worker pod ends or crash-loops before its worker registers.
     *
     * @throws ClusterException when a worker pod failed, or when {@code timeout} passes first
     */
    public void waitForWorkers(int n, Duration timeout) {
        waitForWorkers(n, timeout, states -> {});
    }

    /** As {@link #waitForWorkers(int, Duration)}, showing each observation to {@code progress}. */
    public void waitForWorkers(int n, Duration timeout, Consumer<List<WorkerState>> progress) {
        ensureOpen();
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Pod> pods = workers.listPods();
            List<WorkerState> states = workers.join(pods);
            progress.accept(states.stream().filter(state -> !state.ended()).toList());
            long registered = states.stream().filter(WorkerState::registered).count();
            if (registered >= n) {
                return;
            }
            Optional<String> failure = workers.failedBeforeRegistering(pods, states);
            if (failure.isPresent()) {
                throw new ClusterException(failure.get());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ClusterException(
                        "only "
                                + registered
                                + " of "
                                + n
                                + " workers registered after "
                                + timeout.toSeconds()
                                + " s; the pods' logs say why (logs()), or wait longer");
            }
            try {
                Thread.sleep(WORKER_POLL.toMillis()); // no watch tells when a worker registers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while waiting for workers of " + name(), e);
            }
        }
    }

    /** The scheduler's log first, then each worker pod's, by pod name. */
    public Map<String, String> logs() {
        Map<String, String> logs = new LinkedHashMap<>();
        if (localScheduler != null) {
            logs.put("scheduler", localScheduler.log());
        } else {
            logs.put(
                    model.schedulerPod().getMetadata().getName(),
                    podLog(model.schedulerPod().getMetadata().getName()));
        }
        for (WorkerState worker : workers.states()) {
            logs.put(worker.podName(), podLog(worker.podName()));
        }
        return logs;
    }

    /**
     * Whether someone else deleted this cluster (dask-kubernetes delete, kubectl): its owner object
     * is gone.
     */
    public boolean deletedElsewhere() {
        return !closed.get()
                && client.configMaps().inNamespace(namespace()).withName(name()).get() == null;
    }

    /**
     * A watch over this cluster's scheduler and workers that replaces lost workers; close it when
     * done.
     */
    public ClusterWatch watch() {
        ensureOpen();
        return new ClusterWatch(client, model, localScheduler == null, scheduler, scaler);
    }

    /** The client this cluster uses to talk to its scheduler. */
    public SchedulerClient schedulerClient() {
        return scheduler;
    }

    private String podLog(String podName) {
        try {
            return client.pods().inNamespace(model.namespace()).withName(podName).getLog();
        } catch (RuntimeException e) {
            return "(log unavailable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        String count = closed.get() ? "closed" : String.valueOf(safeWorkerCount());
        return "KubeCluster("
                + name()
                + ", scheduler="
                + schedulerAddress()
                + ", workers="
                + count
                + ")";
    }

    private String safeWorkerCount() {
        try {
            return String.valueOf(workers.states().size());
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    // --- closing ---

    /**
     * Stops adapting, deletes every pod and object of the cluster, and waits for the pods to be
     * gone. Idempotent.
     */
    @Override
    public synchronized void close() {
        // synchronized: a second caller (the shutdown hook, another thread) returns only once the
        // cluster is gone.
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Closing cluster {}", name());
        release(true);
    }

    /**
     * Closes what this process holds (scheduler connection, port-forward, a local scheduler) and
     * deletes nothing: for when Kubernetes itself is gone and a delete could only wait for it.
     * Idempotent; {@link #close} does nothing afterwards.
     */
    public synchronized void abandon() {
        if (closed.compareAndSet(false, true)) {
            log.warn("Abandoning cluster {}: its Kubernetes objects are left as they are", name());
            release(false);
        }
    }

    private void release(boolean deleteObjects) {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // Called from the hook itself: nothing to remove.
            }
        }
        leaseRenewer.close();
        stopAdapting();
        scheduler.close();
        closeEndpoint(endpoint);
        if (deleteObjects) {
            objects.deleteAll(model, POD_DELETION_WAIT);
        }
        if (localScheduler != null) {
            localScheduler.close();
        }
        podCreators.shutdownNow();
        if (ownsClient) {
            client.close();
        }
    }

    private void closeQuietlyAtExit() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println(
                    "dask-kubernetes: could not close cluster " + name() + " at exit: " + e);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cluster " + name() + " is closed");
        }
    }

    static void closeEndpoint(SchedulerEndpoint endpoint) {
        if (endpoint == null) {
            return;
        }
        try {
            endpoint.close();
        } catch (IOException e) {
            log.warn(
                    "Could not close the way to the scheduler ({}): {}",
                    endpoint.how(),
                    e.toString());
        }
    }

    /**
     * Options of a cluster; anything not set comes from Dask's configuration ({@code
     * kubernetes.*}).
     */
    public static final class Builder {
        private DaskConfig config;

        /** Options of the cluster's spec, laid over configuration when the cluster starts. */
        private final List<Consumer<ClusterSettingsResolver>> specOptions = new ArrayList<>();

        private KubernetesClient client;
        private String context;
        private String schedulerProgram = "dask-scheduler";
        private boolean closeAtExit = true;
        private Boolean tls;
        private boolean scaleOnStart = true;
        private Duration leaseDuration;

        private Builder() {}

        public Builder config(DaskConfig config) {
            this.config = config;
            return this;
        }

        public Builder workerTemplate(Pod template) {
            specOptions.add(spec -> spec.workerTemplate(template));
            return this;
        }

        public Builder workerTemplate(Path yamlFile) {
            return workerTemplate(PodTemplateFiles.read(yamlFile));
        }

        public Builder schedulerTemplate(Pod template) {
            specOptions.add(spec -> spec.schedulerTemplate(template));
            return this;
        }

        /** The name template, e.g. {@code dask-{user}-{uuid}}. */
        public Builder name(String nameTemplate) {
            specOptions.add(spec -> spec.name(nameTemplate));
            return this;
        }

        public Builder namespace(String namespace) {
            specOptions.add(spec -> spec.namespace(namespace));
            return this;
        }

        /** Workers to start with; {@code kubernetes.count.start} otherwise. */
        public Builder workers(int workers) {
            specOptions.add(spec -> spec.workers(workers));
            return this;
        }

        public Builder env(Map<String, String> env) {
            Map<String, String> copy = Map.copyOf(env);
            specOptions.add(spec -> spec.env(copy));
            return this;
        }

        public Builder deployMode(DeployMode mode) {
            specOptions.add(spec -> spec.deployMode(mode));
            return this;
        }

        public Builder serviceType(String type) {
            specOptions.add(spec -> spec.serviceType(type));
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            specOptions.add(spec -> spec.idleTimeout(timeout));
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

        public Builder affinityMode(AffinityMode mode) {
            specOptions.add(spec -> spec.affinityMode(mode));
            return this;
        }

        /**
         * The client to use; it stays open after the cluster closes. Without one, the kubeconfig or
         * service account is used.
         */
        public Builder kubernetesClient(KubernetesClient kubernetesClient) {
            this.client = kubernetesClient;
            return this;
        }

        /** A kubeconfig context other than the current one. */
        public Builder context(String kubeContext) {
            this.context = kubeContext;
            return this;
        }

        /**
         * The scheduler program for deploy mode local; {@code dask-scheduler} on the PATH by
         * default.
         */
        public Builder schedulerProgram(String program) {
            this.schedulerProgram = program;
            return this;
        }

        /**
         * Whether a JVM shutdown hook closes the cluster (the default), so that no pod outlives
         * this process. A program that closes things in its own order at exit turns it off and
         * closes it itself.
         */
        public Builder closeAtExit(boolean close) {
            this.closeAtExit = close;
            return this;
        }

        /**
         * Whether {@link #start} also starts {@code kubernetes.count.start} workers (the default).
         * A caller that shows their progress turns it off and scales to {@code
         * settings().countStart()} itself.
         */
        public Builder scaleOnStart(boolean scale) {
            this.scaleOnStart = scale;
            return this;
        }

        /**
         * The settings this builder stands for: configuration with the builder's options on top,
         * resolved and checked, with nothing created.
         */
        public ClusterSettings settings() {
            DaskConfig resolvedConfig = resolvedConfig();
            ClusterSettingsResolver resolver = ClusterSettingsResolver.of(resolvedConfig);
            specOptions.forEach(option -> option.accept(resolver));
            ClusterSettings settings = resolver.resolve();
            for (String warning : UnusedConfigKeys.find(resolvedConfig)) {
                log.warn(warning);
            }
            for (var finding : settings.findings()) {
                log.warn("{}: {}", finding.fieldPath(), finding.message());
            }
            return settings;
        }

        /**
         * Whether the cluster speaks TLS (dask-gateway's model): the client makes a CA and
         * certificates, kept in a Secret that goes with the cluster; the scheduler then refuses
         * plain TCP, and clients need {@link KubeCluster#tlsCredentials()}. {@code kubernetes.tls}
         * otherwise (off by default).
         */
        public Builder tls(boolean useTls) {
            this.tls = useTls;
            return this;
        }

        private boolean useTls() {
            return tls != null ? tls : TlsSetting.enabled(resolvedConfig());
        }

        private DaskConfig resolvedConfig() {
            if (config == null) {
                config = DaskConfig.load();
            }
            return config;
        }

        /** Validates everything, then creates the cluster and waits for its scheduler. */
        public KubeCluster start() {
            ClusterSettings spec = settings();
            ClientLifetime lifetime =
                    ClientLifetime.ofThisProcess(
                            LeaseDurationSetting.resolve(resolvedConfig(), leaseDuration));
            boolean ownsClient = client == null;
            KubernetesClient kubernetes = ownsClient ? KubernetesAccess.connect(context) : client;
            KubeCluster cluster;
            try {
                cluster =
                        new KubeCluster(
                                new ClusterStart(
                                                kubernetes, ownsClient, spec, closeAtExit, lifetime)
                                        .withTls(useTls())
                                        .run(schedulerProgram));
            } catch (RuntimeException e) {
                if (ownsClient) {
                    kubernetes.close();
                }
                throw e;
            }
            if (scaleOnStart && spec.countStart() > 0) {
                try {
                    cluster.scale(spec.countStart());
                } catch (RuntimeException e) {
                    cluster.close();
                    throw e;
                }
            }
            return cluster;
        }
    }
}
