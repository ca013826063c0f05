package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lease a client holds on its cluster, kept as annotations of the cluster's owner ConfigMap
 * with the meaning of a {@code coordination.k8s.io/v1} Lease's spec: who holds it, when it was last
 * renewed, for how long a renewal counts. A cluster whose lease has expired has lost its client
 * (killed, machine gone): {@code dask-kubernetes list} shows it and {@code dask-kubernetes gc}
 * deletes it. Annotations rather than a Lease object: one object to read and delete, and no
 * permission on leases needed.
 *
 * @param holderIdentity who renews it (host name and process id of the client)
 * @param renewTime when it was last renewed
 * @param duration how long after {@code renewTime} the lease still holds
 */
public record ClusterLease(String holderIdentity, Instant renewTime, Duration duration) {

    public static final String HOLDER_IDENTITY = "dask.org/lease-holder-identity";
    public static final String RENEW_TIME = "dask.org/lease-renew-time";
    public static final String DURATION_SECONDS = "dask.org/lease-duration-seconds";

    /** Every annotation of a lease. */
    public static final java.util.Set<String> ANNOTATIONS =
            java.util.Set.of(HOLDER_IDENTITY, RENEW_TIME, DURATION_SECONDS);

    /** The config key of the duration, and its default. */
    public static final String CONFIG_KEY = "kubernetes.lease-duration";

    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);

    public ClusterLease {
        if (holderIdentity == null || holderIdentity.isBlank()) {
            throw new SpecException(
                    "cluster lease",
                    "holderIdentity",
                    "is empty",
                    "name the client that holds the lease, such as host:pid");
        }
        if (duration == null || duration.toSeconds() < 1) {
            throw new SpecException(
                    "cluster lease",
                    CONFIG_KEY,
                    duration + " is shorter than one second",
                    "use a duration of at least 1 s, such as 60 or \"1 minute\"");
        }
        // Lease's renewTime is a MicroTime; the duration whole seconds, as leaseDurationSeconds.
        renewTime = renewTime.truncatedTo(ChronoUnit.MICROS);
        duration = Duration.ofSeconds(duration.toSeconds());
    }

    /** The lease renewed at {@code now}. */
    public ClusterLease renewedAt(Instant now) {
        return new ClusterLease(holderIdentity, now, duration);
    }

    public Instant expiresAt() {
        return renewTime.plus(duration);
    }

    /** Whether nobody renewed it within its duration before {@code now}. */
    public boolean expired(Instant now) {
        return now.isAfter(expiresAt());
    }

    /** The owner's annotations that hold this lease. */
    public Map<String, String> annotations() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(HOLDER_IDENTITY, holderIdentity);
        annotations.put(RENEW_TIME, renewTime.toString());
        annotations.put(DURATION_SECONDS, Long.toString(duration.toSeconds()));
        return annotations;
    }

    /**
     * The lease on {@code owner}, or empty when it has none (a cluster made by an older version,
     * which can therefore never expire).
     *
     * @throws SpecException when the annotations are there but unreadable
     */
    public static Optional<ClusterLease> of(HasMetadata owner) {
        Map<String, String> annotations =
                owner.getMetadata() == null || owner.getMetadata().getAnnotations() == null
                        ? Map.of()
                        : owner.getMetadata().getAnnotations();
        String renewTime = annotations.get(RENEW_TIME);
        if (renewTime == null) {
            return Optional.empty();
        }
        String source = "ConfigMap " + owner.getMetadata().getName();
        String fix =
                "delete the annotation to make the cluster never expire, or delete the cluster";
        Instant renewed;
        try {
            renewed = Instant.parse(renewTime);
        } catch (DateTimeParseException e) {
            throw new SpecException(
                    source,
                    "metadata.annotations." + RENEW_TIME,
                    "\"" + renewTime + "\" is not an RFC 3339 time",
                    fix,
                    e);
        }
        String seconds = annotations.get(DURATION_SECONDS);
        long duration;
        try {
            duration = Long.parseLong(String.valueOf(seconds));
        } catch (NumberFormatException e) {
            throw new SpecException(
                    source,
                    "metadata.annotations." + DURATION_SECONDS,
                    "\"" + seconds + "\" is not a whole number of seconds",
                    fix,
                    e);
        }
        String holder = annotations.getOrDefault(HOLDER_IDENTITY, "unknown");
        return Optional.of(new ClusterLease(holder, renewed, Duration.ofSeconds(duration)));
    }
}
