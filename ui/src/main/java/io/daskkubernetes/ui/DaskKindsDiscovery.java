package io.daskkubernetes.ui;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks now and then whether the kubernetes.dask.org CRDs the console shows were installed since it
 * started (the operator installed after {@code dask-kubernetes ui}), and has the informers watch
 * them then; it stops asking once all are watched. Each check lists at most one object of each
 * missing kind: it needs no permission on CRDs themselves (a CRD informer would), only the one the
 * console needs anyway.
 */
final class DaskKindsDiscovery implements AutoCloseable {

    /** How often a console asks: a CRD is installed rarely, and seconds late are soon enough. */
    static final Duration DEFAULT_EVERY = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(DaskKindsDiscovery.class);

    private final FleetInformers fleet;
    private final ScheduledExecutorService clock =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread thread = new Thread(r, "console-crd-discovery");
                        thread.setDaemon(true);
                        return thread;
                    });

    DaskKindsDiscovery(FleetInformers fleet) {
        this.fleet = fleet;
    }

    void start(Duration every) {
        clock.scheduleWithFixedDelay(
                this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            if (fleet.watchInstalledDaskKinds()) {
                clock.shutdown();
            }
        } catch (RuntimeException e) {
            // Asked again at the next check: a failure must not end the schedule.
            log.warn("Cannot tell whether the Dask CRDs are installed: {}", e.toString(), e);
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
