package io.daskkubernetes.cluster;

import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.ClusterSettings;
import io.daskkubernetes.model.ClusterTls;
import io.daskkubernetes.model.DeployMode;
import io.daskkubernetes.model.SpecException;
import io.daskkubernetes.model.TlsCredentials;
import io.daskkubernetes.scheduler.DaskTls;
import io.daskkubernetes.scheduler.SchedulerClient;
import io.daskkubernetes.scheduler.SchedulerClients;
import io.daskkubernetes.tls.ClusterCertificates;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a cluster as a short list of named steps: the owner, the scheduler (a pod and a
 * Service, or a local process), the way to reach it, a client for it. If a step fails, whatever the
 * earlier steps created is removed before the failure goes on to the caller.
 */
final class ClusterStart {

    private static final Logger log = LoggerFactory.getLogger(ClusterStart.class);

    final KubernetesClient client;
    final boolean ownsClient;
    final ClusterSettings settings;
    final boolean closeAtExit;
    final ExecutorService podCreators;
    final ClientLifetime lifetime;
    LeaseRenewer leaseRenewer;
    ClusterModel model;
    ClusterObjects objects;
    SchedulerEndpoint endpoint;
    LocalSchedulerProcess localScheduler;
    SchedulerClient scheduler;
    final StartSpans spans = new StartSpans();

    /** Whether the cluster speaks TLS; its credentials once made. */
    private boolean tls;

    TlsCredentials credentials;

    ClusterStart(
            KubernetesClient client,
            boolean ownsClient,
            ClusterSettings settings,
            boolean closeAtExit,
            ClientLifetime lifetime) {
        this.client = client;
        this.lifetime = lifetime;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.closeAtExit = closeAtExit;
        this.podCreators =
                Executors.newFixedThreadPool(
                        8,
                        runnable -> {
                            Thread thread = new Thread(runnable, "dask-pod-create");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /** Makes the cluster speak TLS (see {@link ClusterTls}). */
    ClusterStart withTls(boolean useTls) {
        this.tls = useTls;
        return this;
    }

    /** Runs every step; {@code schedulerProgram} is the program of deploy mode local. */
    ClusterStart run(String schedulerProgram) {
        if (tls && settings.deployMode() == DeployMode.LOCAL) {
            podCreators.shutdownNow();
            throw new SpecException(
                    "cluster settings",
                    "kubernetes.tls",
                    "TLS needs the scheduler in a pod, where the cluster's Secret is mounted",
                    "use kubernetes.deploy-mode remote with TLS, or turn TLS off");
        }
        String namespace = KubernetesAccess.namespace(settings.namespace().orElse(null), client);
        Duration wait = settings.schedulerServiceWaitTimeout();
        objects = new ClusterObjects(client, namespace);
        try {
            if (settings.deployMode() == DeployMode.LOCAL) {
                startLocalScheduler(schedulerProgram, namespace, wait);
            } else {
                startSchedulerPod(namespace, wait);
            }
            scheduler =
                    tls
                            ? SchedulerClients.connect(
                                    ClusterTls.tlsAddress(endpoint.tcpAddress()),
                                    URI.create(endpoint.dashboardBase()),
                                    wait,
                                    DaskTls.client(credentials))
                            : SchedulerClients.connect(
                                    endpoint.tcpAddress(),
                                    URI.create(endpoint.dashboardBase()),
                                    wait);
            spans.mark("scheduler client connected");
            if (settings.deployMode() == DeployMode.REMOTE) {
                leaseRenewer.tellScheduler(endpoint.tcpAddress());
            }
            log.info("Cluster {} is up: scheduler at {}", model.name(), endpoint.tcpAddress());
            return this;
        } catch (RuntimeException e) {
            removeWhatWasCreated(e);
            throw e;
        }
    }

    private void startLocalScheduler(String program, String namespace, Duration wait) {
        localScheduler = LocalSchedulerProcess.start(program, client, wait);
        createOwner(
                ClusterModel.withExternalScheduler(
                        settings,
                        namespace,
                        localScheduler.addressForWorkers(),
                        new SecureRandom()));
        endpoint = localScheduler.endpoint();
    }

    private void startSchedulerPod(String namespace, Duration wait) {
        ClusterModel unowned = ClusterModel.of(settings, namespace, new SecureRandom());
        createOwner(tls ? unowned.withTls() : unowned);
        spans.mark("owner created");
        if (tls) {
            credentials = ClusterCertificates.generate(model.name());
            objects.create(model.tlsSecret(credentials));
            spans.mark("TLS certificates and Secret created");
        }
        log.info("Creating scheduler for cluster {} in namespace {}", model.name(), namespace);
        objects.create(lifetime.scheduler(model.schedulerPod()));
        objects.create(model.schedulerService());
        model.podDisruptionBudget().ifPresent(objects::create);
        spans.mark("scheduler pod, Service and PDB created");
        SchedulerReadiness readiness =
                new SchedulerReadiness(
                        client, namespace, model.schedulerPod().getMetadata().getName());
        readiness.awaitStarted(wait);
        spans.mark("scheduler pod started");
        endpoint =
                new SchedulerEndpoints(client)
                        .reach(
                                namespace,
                                model.schedulerService().getMetadata().getName(),
                                wait,
                                readiness);
        spans.mark("scheduler answers");
    }

    /**
     * The owner first: everything created after it points to it. Only once it exists is the model
     * kept, so that a failed start never deletes objects of another cluster that had the same name.
     */
    private void createOwner(ClusterModel unowned) {
        model = unowned.ownedBy(objects.createOwner(lifetime.owner(unowned.owner(), client)));
        leaseRenewer = lifetime.startRenewing(client, model.namespace(), model.name());
    }

    private void removeWhatWasCreated(RuntimeException cause) {
        log.debug("Start failed; removing what was created", cause);
        try {
            if (leaseRenewer != null) {
                leaseRenewer.close();
            }
            if (scheduler != null) {
                scheduler.close();
            }
            KubeCluster.closeEndpoint(endpoint);
            if (model != null) {
                objects.deleteAll(model, KubeCluster.POD_DELETION_WAIT);
            }
        } catch (RuntimeException cleanupFailure) {
            cause.addSuppressed(cleanupFailure);
        } finally {
            if (localScheduler != null) {
                localScheduler.close();
            }
            podCreators.shutdownNow();
        }
    }
}
