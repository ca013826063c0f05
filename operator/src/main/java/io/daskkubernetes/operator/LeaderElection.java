package io.daskkubernetes.operator;

import java.time.Duration;
import java.util.Objects;

/**
 * How the operator takes part in leader election: the coordination.k8s.io Lease it holds while it
 * acts (name and namespace), who it is, and the timings (as client-go's defaults: 15 s, 10 s, 2 s).
 * A replica that is not the leader watches nothing and changes nothing.
 */
public record LeaderElection(
        String leaseName,
        String leaseNamespace,
        String identity,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod) {

    public static final String DEFAULT_LEASE_NAME = "dask-kubernetes-operator";

    public LeaderElection {
        Objects.requireNonNull(leaseName, "leaseName");
        Objects.requireNonNull(leaseNamespace, "leaseNamespace");
        Objects.requireNonNull(identity, "identity");
        if (!(leaseDuration.compareTo(renewDeadline) > 0
                && renewDeadline.compareTo(retryPeriod) > 0
                && !retryPeriod.isNegative()
                && !retryPeriod.isZero())) {
            throw new IllegalArgumentException(
                    "leader election needs lease duration > renew deadline > retry period > 0;"
                            + " got "
                            + leaseDuration.toSeconds()
                            + " s, "
                            + renewDeadline.toSeconds()
                            + " s, "
                            + retryPeriod.toSeconds()
                            + " s: set --lease-duration, --renew-deadline and --retry-period");
        }
    }

    /** With client-go's default timings. */
    public static LeaderElection of(String leaseName, String leaseNamespace, String identity) {
        return new LeaderElection(
                leaseName,
                leaseNamespace,
                identity,
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2));
    }
}
