package io.daskkubernetes.cluster;

import java.time.Instant;

/**
 * One cluster found in Kubernetes by its labels.
 *
 * @param schedulerPhase the scheduler pod's phase ("Terminating" while it is deleted), "Missing"
 *     when the pod is gone, or "local" when the scheduler runs outside the cluster
 * @param workers worker pods that have not ended
 * @param runningWorkers of those, the ones whose phase is Running
 * @param schedulerAddress the address workers use, inside the cluster
 * @param schedulerAddressFromHere an address of the scheduler that answered from this machine (a
 *     load balancer's, the cluster IP), or null when none did
 * @param lease {@code held}, {@code expired} (its client stopped renewing: see {@code gc}), {@code
 *     none} (made by an older version) or {@code unreadable}
 * @param kind {@code classic} (pods made by a client) or {@code operator} (a DaskCluster)
 */
public record ClusterSummary(
        String name,
        String namespace,
        String user,
        String schedulerPhase,
        int workers,
        int runningWorkers,
        String schedulerAddress,
        String schedulerAddressFromHere,
        Instant created,
        String lease,
        String kind) {

    public static final String KIND_CLASSIC = "classic";
    public static final String KIND_OPERATOR = "operator";

    /** A classic cluster's summary. */
    public ClusterSummary(
            String name,
            String namespace,
            String user,
            String schedulerPhase,
            int workers,
            int runningWorkers,
            String schedulerAddress,
            String schedulerAddressFromHere,
            Instant created,
            String lease) {
        this(
                name,
                namespace,
                user,
                schedulerPhase,
                workers,
                runningWorkers,
                schedulerAddress,
                schedulerAddressFromHere,
                created,
                lease,
                KIND_CLASSIC);
    }

    public static final String LEASE_HELD = "held";
    public static final String LEASE_EXPIRED = "expired";
    public static final String LEASE_NONE = "none";
    public static final String LEASE_UNREADABLE = "unreadable";

    public boolean expired() {
        return LEASE_EXPIRED.equals(lease);
    }
}
