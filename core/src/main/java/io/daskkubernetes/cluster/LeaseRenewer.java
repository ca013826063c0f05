package io.daskkubernetes.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.SchedulerLease;
import io.daskkubernetes.scheduler.SchedulerException;
import io.daskkubernetes.scheduler.SchedulerTimeouts;
import io.daskkubernetes.scheduler.TcpSchedulerClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a client's lease on its cluster, three times per lease duration, until closed: on the
 * object that carries it (a classic cluster's owner ConfigMap, for {@code list} and {@code gc}; an
 * operator's DaskCluster, which the operator deletes once the lease expires) and, for a classic
 * cluster once its address is known, with the scheduler (whose idle timeout starts counting only
 * when renewals stop). A client killed without closing simply stops renewing.
 */
public final class LeaseRenewer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCHEDULER_TIMEOUT = Duration.ofSeconds(5);

    private final Resource<? extends HasMetadata> leased;
    private final String name;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private volatile ClusterLease lease;
    private volatile TcpSchedulerClient scheduler;
    private volatile boolean warnedNoPreload;

    private LeaseRenewer(
            Resource<? extends HasMetadata> leased, String name, ClusterLease lease, Clock clock) {
        this.leased = leased;
        this.name = name;
        this.lease = lease;
        this.clock = clock;
        this.timer =
                // Two threads: a slow scheduler must not delay the renewals on the owner.
                Executors.newScheduledThreadPool(
                        2,
                        runnable -> {
                            Thread thread = new Thread(runnable, "dask-lease-" + name);
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /** Starts renewing {@code lease}, which the owner {@code namespace/name} already carries. */
    static LeaseRenewer start(
            KubernetesClient client,
            String namespace,
            String name,
            ClusterLease lease,
            Clock clock) {
        return start(client.configMaps().inNamespace(namespace).withName(name), name, lease, clock);
    }

    /**
     * Starts renewing {@code lease}, which {@code leased} (any object of a cluster, such as a
     * DaskCluster) already carries as annotations ({@link ClusterLease#annotations()}).
     *
     * @param name the cluster's name, for logs
     */
    public static LeaseRenewer start(
            Resource<? extends HasMetadata> leased, String name, ClusterLease lease, Clock clock) {
        LeaseRenewer renewer = new LeaseRenewer(leased, name, lease, clock);
        long period = Math.max(250, lease.duration().toMillis() / 3);
        renewer.timer.scheduleWithFixedDelay(
                renewer::renewOnOwner, period, period, TimeUnit.MILLISECONDS);
        renewer.timer.scheduleWithFixedDelay(
                renewer::renewWithScheduler, period, period, TimeUnit.MILLISECONDS);
        return renewer;
    }

    /** From now on also tells the scheduler at {@code tcpAddress}, at once and at every renewal. */
    void tellScheduler(String tcpAddress) {
        scheduler = new TcpSchedulerClient(tcpAddress, SchedulerTimeouts.of(SCHEDULER_TIMEOUT));
        timer.execute(this::renewWithScheduler);
    }

    /** One renewal on the owner; a failure is logged and the next one tried. */
    void renewOnOwner() {
        ClusterLease renewed = lease.renewedAt(clock.instant());
        try {
            // A merge patch of the annotations only, without a resourceVersion: it cannot conflict
            // with whoever else edits the owner's data.
            leased.patch(PatchContext.of(PatchType.JSON_MERGE), patchOf(renewed));
            lease = renewed;
        } catch (KubernetesClientException e) {
            if (timer.isShutdown()) {
                return; // closing: the renewal under way was interrupted, as intended
            }
            if (e.getCode() == 404) {
                log.info("Cluster {} was deleted; its lease is no longer renewed", name);
                timer.shutdown();
                return;
            }
            log.warn(
                    "Could not renew the lease on cluster {} ({}); it expires at {} unless a"
                            + " later renewal succeeds",
                    name,
                    e.getMessage(),
                    lease.expiresAt());
        }
    }

    private void renewWithScheduler() {
        TcpSchedulerClient current = scheduler;
        if (current == null) {
            return;
        }
        try {
            if (!current.renewLease(lease.holderIdentity(), lease.duration()) && !warnedNoPreload) {
                warnedNoPreload = true;
                log.warn(
                        "The scheduler of cluster {} does not know the lease (another {} was"
                                + " set?); it stops only on Dask's own idle timeout",
                        name,
                        SchedulerLease.PRELOAD_ENV);
            }
        } catch (SchedulerException e) {
            log.warn(
                    "Could not renew the lease with the scheduler of {}: {}", name, e.getMessage());
        }
    }

    /** The lease as last renewed. */
    public ClusterLease lease() {
        return lease;
    }

    private static String patchOf(ClusterLease lease) {
        try {
            return JSON.writeValueAsString(
                    Map.of("metadata", Map.of("annotations", lease.annotations())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /** Stops renewing; the lease then expires on its own. Waits for a renewal under way. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(SCHEDULER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("A lease renewal of cluster {} is still under way", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TcpSchedulerClient current = scheduler;
        if (current != null) {
            current.close();
        }
    }
}
