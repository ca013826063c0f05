package io.daskkubernetes.config;

import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.DaskDuration;
import io.daskkubernetes.model.SpecException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code kubernetes.lease-duration}: how long a cluster outlives its client's last renewal of its
 * lease (60 s by default). Seconds or a Dask duration ("90s", "2 minutes"); at least one second.
 */
public final class LeaseDurationSetting {

    private static final String FIX =
            "use seconds (60) or a duration such as \"2 minutes\", at least 1 s";

    private LeaseDurationSetting() {}

    /** The caller's value when given, else the configured one, else the default. */
    public static Duration resolve(DaskConfig config, Duration explicit) {
        if (explicit != null) {
            return check(explicit, ClusterSettingsResolver.ARGUMENT_SOURCE);
        }
        Optional<Object> configured = config.get(ClusterLease.CONFIG_KEY);
        if (configured.isEmpty()) {
            return ClusterLease.DEFAULT_DURATION;
        }
        String source = config.origin(ClusterLease.CONFIG_KEY);
        try {
            return check(DaskDuration.parse(configured.get()), source);
        } catch (IllegalArgumentException e) {
            if (e instanceof SpecException) {
                throw e;
            }
            throw new SpecException(source, ClusterLease.CONFIG_KEY, e.getMessage(), FIX, e);
        }
    }

    private static Duration check(Duration duration, String source) {
        if (duration.toSeconds() < 1) {
            throw new SpecException(
                    source,
                    ClusterLease.CONFIG_KEY,
                    duration.toMillis() + " ms is shorter than one second",
                    FIX);
        }
        return duration;
    }
}
