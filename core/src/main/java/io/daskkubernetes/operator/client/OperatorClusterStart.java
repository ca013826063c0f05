package io.daskkubernetes.operator.client;

import io.daskkubernetes.cluster.ClientLease;
import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.cluster.KubernetesAccess;
import io.daskkubernetes.cluster.LeaseRenewer;
import io.daskkubernetes.cluster.SchedulerAccess;
import io.daskkubernetes.cluster.SchedulerEndpoint;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.LeaseDurationSetting;
import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.DashboardLink;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of an {@link OperatorKubeCluster} as named steps: create the DaskCluster (with this
 * client's lease) or find the existing one, wait for the operator to report it Running, reach its
 * scheduler. A failed start deletes the DaskCluster it created.
 */
final class OperatorClusterStart {

    private static final Logger log = LoggerFactory.getLogger(OperatorClusterStart.class);
    private static final int UPSTREAM_DEFAULT_WORKERS = 3;

    private final OperatorKubeCluster.Builder options;
    private final DaskConfig config;
    private final OperatorClusterSettings settings;

    OperatorClusterStart(OperatorKubeCluster.Builder options) {
        this.options = options;
        this.config = options.resolvedConfig();
        this.settings = new OperatorClusterSettings(config, System.getenv());
    }

    OperatorKubeCluster create() {
        // Everything that can be wrong with the arguments is found before Kubernetes is asked.
        Duration timeout = settings.resourceTimeout(options.resourceTimeout);
        Duration leaseDuration = LeaseDurationSetting.resolve(config, options.leaseDuration);
        return withClient(
                (client, ownsClient) -> {
                    String namespace =
                            KubernetesAccess.namespace(
                                    settings.namespace(options.namespace), client);
                    DaskCluster wanted = desired(namespace);
                    String name = wanted.getMetadata().getName();
                    ClusterLease lease =
                            ClientLease.ofThisProcess(leaseDuration, Clock.systemUTC());
                    OperatorResources resources = new OperatorResources(client, namespace);
                    createCluster(resources, OperatorManifests.leased(wanted, lease));
                    log.info(
                            "Created DaskCluster {}/{}; waiting for the operator", namespace, name);
                    LeaseRenewer renewer =
                            LeaseRenewer.start(
                                    resources.cluster(name), name, lease, Clock.systemUTC());
                    try {
                        return reach(resources, name, timeout, ownsClient, true, renewer);
                    } catch (RuntimeException e) {
                        log.info("Start of {} failed; deleting its DaskCluster", name);
                        renewer.close();
                        try {
                            OperatorKubeCluster.deleteAndWait(resources, name);
                        } catch (RuntimeException cleanup) {
                            e.addSuppressed(cleanup);
                        }
                        throw e;
                    }
                });
    }

    OperatorKubeCluster connect() {
        if (options.name == null) {
            throw new IllegalArgumentException(
                    "connecting to a DaskCluster needs its name: fromName(\"my-cluster\")");
        }
        Duration timeout = settings.resourceTimeout(options.resourceTimeout);
        return withClient(
                (client, ownsClient) -> {
                    String namespace =
                            KubernetesAccess.namespace(
                                    settings.namespace(options.namespace), client);
                    OperatorResources resources = new OperatorResources(client, namespace);
                    resources.requireDaskClusterType();
                    if (resources.cluster(options.name).get() == null) {
                        throw new ClusterException(
                                "there is no DaskCluster "
                                        + options.name
                                        + " in namespace "
                                        + namespace
                                        + "; see kubectl get daskclusters -n "
                                        + namespace);
                    }
                    return reach(resources, options.name, timeout, ownsClient, false, null);
                });
    }

    private interface ClientStep {
        OperatorKubeCluster run(KubernetesClient client, boolean ownsClient);
    }

    /** Runs {@code step} with the given client or one of its own, closed if the step fails. */
    private OperatorKubeCluster withClient(ClientStep step) {
        boolean ownsClient = options.client == null;
        KubernetesClient client =
                ownsClient ? KubernetesAccess.connect(options.context) : options.client;
        try {
            return step.run(client, ownsClient);
        } catch (RuntimeException e) {
            if (ownsClient) {
                client.close();
            }
            throw e;
        }
    }

    private DaskCluster desired(String namespace) {
        if (options.customCluster != null) {
            DaskCluster custom = Serialization.clone(options.customCluster);
            if (options.name != null) {
                custom.getMetadata().setName(options.name);
            }
            OperatorManifests.requireClusterName(custom.getMetadata().getName());
            custom.getMetadata().setNamespace(namespace);
            return custom;
        }
        return OperatorManifests.cluster(
                settings.name(options.name),
                namespace,
                settings.template(
                        options.image, options.resources, options.env, options.workerCommand),
                options.workers != null ? options.workers : UPSTREAM_DEFAULT_WORKERS,
                settings.serviceType(options.serviceType),
                options.idleTimeoutSeconds);
    }

    private static void createCluster(OperatorResources resources, DaskCluster cluster) {
        try {
            OperatorResources.requiringCrd(
                    "daskclusters",
                    () -> resources.in(DaskCluster.class).resource(cluster).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new ClusterException(
                        "a DaskCluster named "
                                + cluster.getMetadata().getName()
                                + " already exists in namespace "
                                + resources.namespace()
                                + "; choose another name, or connect to it with fromName",
                        e);
            }
            throw e;
        }
    }

    private OperatorKubeCluster reach(
            OperatorResources resources,
            String name,
            Duration timeout,
            boolean ownsClient,
            boolean createdHere,
            LeaseRenewer renewer) {
        new DaskClusterReadiness(resources.cluster(name), resources.namespace(), name)
                .awaitRunning(timeout, timeout);
        String scheduler = OperatorManifests.schedulerName(name);
        SchedulerEndpoint endpoint =
                SchedulerAccess.reach(
                        resources.client(), resources.namespace(), scheduler, scheduler, timeout);
        SchedulerClient client;
        try {
            client =
                    SchedulerClients.connect(
                            endpoint.tcpAddress(), URI.create(endpoint.dashboardBase()), timeout);
        } catch (RuntimeException e) {
            try {
                endpoint.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        log.info("DaskCluster {} runs: scheduler at {}", name, endpoint.tcpAddress());
        return new OperatorKubeCluster(
                resources,
                ownsClient,
                name,
                createdHere,
                renewer,
                endpoint,
                client,
                dashboardTemplate(),
                options.closeAtExit);
    }

    private String dashboardTemplate() {
        String template = config.getString(DashboardLink.CONFIG_KEY);
        return template == null ? DashboardLink.DEFAULT_TEMPLATE : template;
    }
}
