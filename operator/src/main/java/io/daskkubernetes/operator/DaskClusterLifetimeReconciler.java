package io.daskkubernetes.operator;

import io.daskkubernetes.model.SpecException;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends DaskClusters that nobody needs any more: one whose scheduler has been idle for {@code
 * spec.idleTimeout} seconds ({@link IdleTimeout}), and one whose client's lease has expired ({@link
 * LeaseReaper}). A controller of its own beside {@link DaskClusterReconciler}, so that the making
 * of a cluster and the ending of it stay apart; it reacts to every change of a cluster (annotations
 * too, as a lease may be put on later) and otherwise looks again when a timeout could have passed.
 */
@ControllerConfiguration(name = "daskcluster-lifetime", generationAwareEventProcessing = false)
public final class DaskClusterLifetimeReconciler implements Reconciler<DaskCluster> {

    private static final Logger LOG = LoggerFactory.getLogger(DaskClusterLifetimeReconciler.class);

    private final Clock clock;
    private final SchedulerActivity activity;
    private final IdleTimeout idle = new IdleTimeout();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public DaskClusterLifetimeReconciler() {
        this(Clock.systemUTC(), new SchedulerActivity());
    }

    DaskClusterLifetimeReconciler(Clock clock, SchedulerActivity activity) {
        this.clock = clock;
        this.activity = activity;
    }

    @Override
    public UpdateControl<DaskCluster> reconcile(DaskCluster cluster, Context<DaskCluster> context) {
        if (cluster.getMetadata().getDeletionTimestamp() != null) {
            return UpdateControl.noUpdate();
        }
        KubernetesClient client = context.getClient();
        Instant now = clock.instant();
        Optional<Duration> leaseRecheck;
        try {
            LeaseReaper.Verdict lease = LeaseReaper.judge(cluster, now);
            if (lease.expired()) {
                delete(client, cluster, "LeaseExpired", lease.reason());
                return UpdateControl.noUpdate();
            }
            leaseRecheck = lease.recheck();
        } catch (SpecException e) {
            warnOnce(client, cluster, "LeaseUnreadable", e.getMessage() + "; it is not reaped");
            leaseRecheck = Optional.empty();
        }
        Optional<Duration> idleRecheck = idleTimeout(cluster, client, now);
        if (idleRecheck.isPresent() && idleRecheck.get().isZero()) {
            return UpdateControl.noUpdate();
        }
        Optional<Duration> recheck =
                leaseRecheck.isEmpty()
                        ? idleRecheck
                        : idleRecheck.isEmpty()
                                ? leaseRecheck
                                : Optional.of(
                                        leaseRecheck.get().compareTo(idleRecheck.get()) < 0
                                                ? leaseRecheck.get()
                                                : idleRecheck.get());
        UpdateControl<DaskCluster> control = UpdateControl.noUpdate();
        return recheck.map(control::rescheduleAfter).orElse(control);
    }

    /**
     * Asks the scheduler whether it is idle when the cluster has a timeout; deletes the cluster
     * when the timeout has passed (then answers zero).
     *
     * @return when to ask again, or empty when the cluster has no timeout
     */
    private Optional<Duration> idleTimeout(
            DaskCluster cluster, KubernetesClient client, Instant now) {
        String uid = cluster.getMetadata().getUid();
        Integer seconds = cluster.getSpec().getIdleTimeout();
        if (seconds == null || seconds <= 0) {
            idle.forget(uid);
            return Optional.empty();
        }
        Duration timeout = Duration.ofSeconds(seconds);
        boolean idleNow = false;
        String name = cluster.getMetadata().getName();
        Pod scheduler =
                client.pods()
                        .inNamespace(cluster.getMetadata().getNamespace())
                        .withName(ClusterNames.scheduler(name))
                        .get();
        if (scheduler != null) {
            try {
                SchedulerActivity.Counts counts = activity.counts(scheduler);
                idleNow = counts.idle();
                LOG.debug("{}: scheduler has {}", name, counts);
            } catch (SchedulerActivity.SchedulerActivityException e) {
                if (e.lasting()) {
                    warnOnce(client, cluster, "IdleTimeoutUnmeasurable", e.getMessage());
                } else {
                    LOG.debug("{}: idleness not known now: {}", name, e.getMessage());
                }
            }
        }
        IdleTimeout.Verdict verdict = idle.observe(uid, timeout, idleNow, now);
        if (verdict.becameIdle()) {
            LOG.info(
                    "{}: the scheduler is idle (no client, no task); the cluster goes in {} s"
                            + " unless work or a client comes",
                    name,
                    seconds);
        }
        if (verdict.expired()) {
            delete(
                    client,
                    cluster,
                    "IdleTimeout",
                    "the scheduler has had no client and no task for "
                            + verdict.idleFor().toSeconds()
                            + " s (spec.idleTimeout "
                            + seconds
                            + " s); deleting the cluster");
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(verdict.recheck());
    }

    private void delete(KubernetesClient client, DaskCluster cluster, String reason, String why) {
        String name = cluster.getMetadata().getName();
        LOG.info("{}/{}: {}", cluster.getMetadata().getNamespace(), name, why);
        // the deletion first: it is what matters, and an Event outlives what it is about
        client.resource(cluster).delete();
        OperatorEvents.warning(client, cluster, reason, why);
        idle.forget(cluster.getMetadata().getUid());
        warned.removeIf(key -> key.startsWith(cluster.getMetadata().getUid() + "/"));
    }

    private void warnOnce(KubernetesClient client, DaskCluster cluster, String reason, String why) {
        if (warned.add(cluster.getMetadata().getUid() + "/" + reason)) {
            LOG.warn("{}: {}", cluster.getMetadata().getName(), why);
            OperatorEvents.warning(client, cluster, reason, why);
        }
    }
}
