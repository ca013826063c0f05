package io.daskkubernetes.cluster;

import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.SpecException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The state of a cluster's lease as {@code list} shows it and {@code gc} acts on it. */
final class ClusterLeases {

    private static final Logger log = LoggerFactory.getLogger(ClusterLeases.class);

    private ClusterLeases() {}

    static String state(ConfigMap owner, Instant now) {
        try {
            return ClusterLease.of(owner)
                    .map(
                            lease ->
                                    lease.expired(now)
                                            ? ClusterSummary.LEASE_EXPIRED
                                            : ClusterSummary.LEASE_HELD)
                    .orElse(ClusterSummary.LEASE_NONE);
        } catch (SpecException e) {
            log.warn("{}", e.getMessage());
            return ClusterSummary.LEASE_UNREADABLE;
        }
    }

    /**
     * The lease of {@code owner} when it has expired. An unreadable lease is not expired: a cluster
     * is deleted only on evidence that its client is gone.
     */
    static Optional<ClusterLease> expired(ConfigMap owner, Instant now) {
        try {
            return ClusterLease.of(owner).filter(lease -> lease.expired(now));
        } catch (SpecException e) {
            log.warn("{}; not deleted", e.getMessage());
            return Optional.empty();
        }
    }
}
