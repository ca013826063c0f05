package io.daskkubernetes.cluster;

import io.daskkubernetes.model.ClusterLease;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The first lease this process takes on a cluster it creates, classic or operator-made: held by
 * this host and process, renewed by a {@link LeaseRenewer} until the client closes or dies.
 */
public final class ClientLease {

    private ClientLease() {}

    /** This process's first lease, now, for {@code duration}. */
    public static ClusterLease ofThisProcess(Duration duration, Clock clock) {
        return first(duration, clock, System.getenv());
    }

    static ClusterLease first(Duration duration, Clock clock, Map<String, String> environment) {
        return new ClusterLease(holderIdentity(environment), clock.instant(), duration);
    }

    /** Host and process id, as client-go's leader election names a holder. */
    private static String holderIdentity(Map<String, String> environment) {
        String host = environment.getOrDefault("HOSTNAME", "localhost");
        return host + "_" + ProcessHandle.current().pid();
    }
}
