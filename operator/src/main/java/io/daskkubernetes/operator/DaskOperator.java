package io.daskkubernetes.operator;

import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.health.EventSourceHealthIndicator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Dask operator: the DaskCluster, DaskWorkerGroup and DaskJob reconcilers, and the one that
 * ends idle or abandoned clusters, on one JOSDK {@link Operator}, watching all namespaces or the
 * ones given, alone or as one candidate of a leader election. Server-side apply is off (JOSDK
 * patches with JSON merge patches), so that it runs against the local runtime as against a real API
 * server.
 */
public final class DaskOperator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaskOperator.class);

    private final Operator operator;
    private final SchedulerConnections schedulers = new SchedulerConnections();
    private final OperatorSettings settings;
    private final KubernetesClient client;
    private final RegisteredController<DaskCluster> clusterController;
    private final RegisteredController<DaskWorkerGroup> groupController;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final OperatorGauges gauges;

    private DaskOperator(KubernetesClient client, OperatorSettings settings) {
        this.client = client;
        this.settings = settings;
        this.operator =
                new Operator(
                        o -> {
                            o.withKubernetesClient(client)
                                    .withCloseClientOnStop(false)
                                    .withUseSSAToPatchPrimaryResource(false)
                                    .withSSABasedCreateUpdateMatchForDependentResources(false);
                            settings.metrics()
                                    .ifPresent(
                                            r ->
                                                    o.withMetrics(
                                                            MicrometerMetrics
                                                                    .withoutPerResourceMetrics(r)));
                            settings.leaderElection()
                                    .ifPresent(e -> o.withLeaderElectionConfiguration(josdk(e)));
                        });
        Set<String> namespaces = settings.namespaces();
        clusterController =
                operator.register(new DaskClusterReconciler(), c -> watch(c, namespaces));
        groupController =
                operator.register(
                        new DaskWorkerGroupReconciler(schedulers, settings.workerAllocation()),
                        c -> watch(c, namespaces));
        operator.register(
                new DaskAutoscalerReconciler(
                        schedulers,
                        DaskAutoscalerReconciler.DEFAULT_TIMING,
                        new ScaleDecisionCounter(settings.metrics())),
                c -> watch(c, namespaces));
        operator.register(new DaskClusterLifetimeReconciler(), c -> watch(c, namespaces));
        operator.register(new DaskJobReconciler(), c -> watch(c, namespaces));
        gauges =
                settings.metrics()
                        .map(r -> new OperatorGauges(r, this::cachedClusters, this::cachedWorkers))
                        .orElse(null);
        settings.metrics().ifPresent(schedulers::countErrorsIn);
    }

    /**
     * Starts the operator.
     *
     * @param namespaces where to watch; empty for all namespaces
     * @param installCrds install (or update) the CRDs first; otherwise they must be there
     * @throws IllegalStateException when the CRDs are missing and not to be installed
     */
    public static DaskOperator start(
            KubernetesClient client, Set<String> namespaces, boolean installCrds) {
        return start(client, OperatorSettings.watching(namespaces).installingCrds(installCrds));
    }

    /**
     * Starts the operator as {@code settings} say. With leader election it returns at once; it
     * reconciles once it leads.
     *
     * @throws IllegalStateException when the CRDs are missing and not to be installed
     */
    public static DaskOperator start(KubernetesClient client, OperatorSettings settings) {
        if (settings.installCrds()) {
            CustomResourceDefinitions.install(client);
        } else {
            List<String> missing = CustomResourceDefinitions.missing(client);
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        "the cluster lacks the CRDs "
                                + missing
                                + "; install them with kubectl apply -f deploy/crds/, or let the"
                                + " operator do it with --install-crds");
            }
        }
        DaskOperator dask = new DaskOperator(client, settings);
        if (settings.leaderElection().isEmpty()) {
            dask.leading.set(true);
        }
        dask.operator.start();
        LOG.info(
                "Dask operator running, watching {}, creating {}{}",
                settings.namespaces().isEmpty()
                        ? "all namespaces"
                        : "namespaces " + settings.namespaces(),
                settings.workerAllocation(),
                settings.leaderElection()
                        .map(
                                e ->
                                        "; candidate "
                                                + e.identity()
                                                + " for Lease "
                                                + e.leaseNamespace()
                                                + "/"
                                                + e.leaseName())
                        .orElse(""));
        return dask;
    }

    /** True while this operator reconciles: always without leader election, else while it leads. */
    public boolean isLeader() {
        return leading.get();
    }

    /** Liveness: a leader whose informers have failed is not healthy; a standby is. */
    public OperatorHttpEndpoints.Probe health() {
        if (!operator.getRuntimeInfo().isStarted()) {
            return new OperatorHttpEndpoints.Probe(false, "not started");
        }
        if (!leading.get()) {
            return new OperatorHttpEndpoints.Probe(true, "standing by for the leader's Lease");
        }
        // JOSDK lists every controller, each with its unhealthy event sources (most often none).
        Map<String, Map<String, EventSourceHealthIndicator>> unhealthy = new java.util.TreeMap<>();
        operator.getRuntimeInfo()
                .unhealthyEventSources()
                .forEach(
                        (controller, sources) -> {
                            if (!sources.isEmpty()) {
                                unhealthy.put(controller, sources);
                            }
                        });
        return unhealthy.isEmpty()
                ? new OperatorHttpEndpoints.Probe(true, "leading; informers healthy")
                : new OperatorHttpEndpoints.Probe(
                        false, "unhealthy event sources " + describe(unhealthy));
    }

    /** controller: [event source (its class)...], to say which one is unhealthy. */
    private static String describe(Map<String, Map<String, EventSourceHealthIndicator>> unhealthy) {
        StringBuilder text = new StringBuilder();
        unhealthy.forEach(
                (controller, sources) -> {
                    text.append(controller).append(": ");
                    sources.forEach(
                            (name, source) ->
                                    text.append(name)
                                            .append(" (")
                                            .append(source.getClass().getSimpleName())
                                            .append(" ")
                                            .append(source.getStatus())
                                            .append(") "));
                });
        return text.toString().strip();
    }

    /** Readiness: started (a standby is ready too, so that rollouts of two replicas proceed). */
    public OperatorHttpEndpoints.Probe readiness() {
        return operator.getRuntimeInfo().isStarted()
                ? new OperatorHttpEndpoints.Probe(true, leading.get() ? "leading" : "standby")
                : new OperatorHttpEndpoints.Probe(false, "not started");
    }

    /** Recounts the cluster and worker gauges; call before a scrape. */
    public void refreshGauges() {
        if (gauges != null) {
            gauges.refresh();
        }
    }

    private Stream<DaskCluster> cachedClusters() {
        if (!leading.get()) {
            return Stream.empty();
        }
        return ((Controller<DaskCluster>) clusterController)
                .getEventSourceManager()
                .getControllerEventSource()
                .list();
    }

    private Stream<Pod> cachedWorkers() {
        if (!leading.get()) {
            return Stream.empty();
        }
        return ((Controller<DaskWorkerGroup>) groupController)
                .getEventSourceManager().getEventSourcesFor(Pod.class).stream()
                        .filter(InformerEventSource.class::isInstance)
                        .flatMap(s -> ((InformerEventSource<Pod, ?>) s).list())
                        .filter(
                                p ->
                                        DaskLabels.COMPONENT_WORKER.equals(
                                                p.getMetadata()
                                                        .getLabels()
                                                        .get(DaskLabels.COMPONENT)));
    }

    private LeaderElectionConfiguration josdk(LeaderElection election) {
        LeaderCallbacks callbacks =
                new LeaderCallbacks(
                        () -> {
                            leading.set(true);
                            LOG.info("{} leads: reconciling", election.identity());
                        },
                        () -> {
                            boolean was = leading.getAndSet(false);
                            if (was && !closing.get()) {
                                LOG.error(
                                        "{} lost the Lease {}/{}; stopping",
                                        election.identity(),
                                        election.leaseNamespace(),
                                        election.leaseName());
                                // JOSDK goes on reconciling after this unless it exits the JVM;
                                // another replica may lead now, so stop here (off the elector's
                                // thread, which the stop waits for).
                                Thread stopper =
                                        new Thread(
                                                () -> {
                                                    try {
                                                        operator.stop();
                                                    } finally {
                                                        settings.onLostLeadership().run();
                                                    }
                                                },
                                                "lost-leadership");
                                stopper.start();
                            }
                        },
                        leader -> LOG.info("the leader is now {}", leader));
        return new LeaderElectionConfiguration(
                election.leaseName(),
                election.leaseNamespace(),
                election.leaseDuration(),
                election.renewDeadline(),
                election.retryPeriod(),
                election.identity(),
                callbacks,
                false);
    }

    private static <R extends HasMetadata> void watch(
            ControllerConfigurationOverrider<R> config, Set<String> namespaces) {
        if (namespaces.isEmpty()) {
            config.watchingAllNamespaces();
        } else {
            config.settingNamespaces(namespaces);
        }
    }

    /**
     * Stops reconciling, then hands the Lease on at once when this replica held it, so that a
     * standby takes over without waiting for the lease to expire.
     */
    @Override
    public void close() {
        closing.set(true);
        boolean wasLeading = leading.get();
        try {
            operator.stop();
        } finally {
            schedulers.close();
            if (wasLeading) {
                settings.leaderElection().ifPresent(e -> LeaseRelease.release(client, e));
            }
            leading.set(false);
        }
    }
}
