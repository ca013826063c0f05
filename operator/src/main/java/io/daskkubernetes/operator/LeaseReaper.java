package io.daskkubernetes.operator;

import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.SpecException;
import io.daskkubernetes.operator.api.DaskCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides about a DaskCluster made by a client that holds a lease on it ({@link ClusterLease}'s
 * annotations, the same ones the classic client puts on its owner ConfigMap): once nobody renewed
 * the lease within its duration, the client is gone (killed, laptop closed) and the cluster is
 * deleted; until then, look again when it would expire. A cluster without the annotations (made by
 * kubectl, Helm, GitOps) is never touched. Times are the operator's clock against the client's
 * renewal time, so clocks more than a lease apart would reap early; leases are tens of seconds.
 */
final class LeaseReaper {

    /** Keep (and look again after {@code recheck}, if any), or delete because {@code reason}. */
    record Verdict(boolean expired, Optional<Duration> recheck, String reason) {
        static Verdict keep(Optional<Duration> recheck) {
            return new Verdict(false, recheck, null);
        }
    }

    /** A moment past the expiry, so that the look again does not find it just unexpired. */
    private static final Duration MARGIN = Duration.ofMillis(200);

    private LeaseReaper() {}

    /**
     * @throws SpecException when the annotations are there but unreadable (never reaped then)
     */
    static Verdict judge(DaskCluster cluster, Instant now) {
        Optional<ClusterLease> lease = ClusterLease.of(cluster);
        if (lease.isEmpty()) {
            return Verdict.keep(Optional.empty());
        }
        ClusterLease held = lease.get();
        if (!held.expired(now)) {
            return Verdict.keep(Optional.of(Duration.between(now, held.expiresAt()).plus(MARGIN)));
        }
        return new Verdict(
                true,
                Optional.empty(),
                "the lease of "
                        + held.holderIdentity()
                        + " (duration "
                        + held.duration().toSeconds()
                        + " s) was last renewed at "
                        + held.renewTime()
                        + " and expired at "
                        + held.expiresAt()
                        + ": its client is gone; deleting the cluster");
    }
}
