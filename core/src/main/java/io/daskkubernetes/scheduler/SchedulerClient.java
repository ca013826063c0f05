package io.daskkubernetes.scheduler;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Asks a running Dask scheduler what it has and what it wants. Implementations are thread safe.
 * Every call fails with a {@link SchedulerException} (a {@link SchedulerConnectionException} when
 * the scheduler could not be reached or did not answer in time), never hangs.
 */
public interface SchedulerClient extends AutoCloseable {

    /** The scheduler's address, id, services and workers. */
    SchedulerInfo identity();

    /** The workers registered now. */
    List<DaskWorker> workers();

    /**
     * How many workers the scheduler would like for its current load ({@code
     * Scheduler.adaptive_target}).
     */
    int adaptiveTarget();

    /**
     * As {@link #adaptiveTarget()}, for a chosen {@code target_duration}: how long the scheduler
     * should aim to take over its current work (Dask's {@code distributed.adaptive.target-duration}
     * otherwise, 5 s by default).
     */
    int adaptiveTarget(Duration targetDuration);

    /**
     * The addresses of the workers the scheduler would close to shrink by {@code n}: idle ones
     * holding the least data. It may name fewer than {@code n} (it keeps enough memory for the data
     * it holds).
     */
    List<String> workersToClose(int n);

    /**
     * Retires workers gracefully: the scheduler copies the data only they hold to the other
     * workers, then removes them. Returns the identity of each retired worker by address; workers
     * it did not know are absent.
     */
    Map<String, DaskWorker> retireWorkers(Collection<String> addresses);

    /** Whether the scheduler answers now; never throws. */
    boolean healthy();

    /**
     * The package versions of the scheduler (under "scheduler") and of each worker (under its
     * address), as Dask's {@code Client.get_versions} collects them.
     */
    Map<String, Map<String, String>> packageVersions();

    /** {@code "http"} or {@code "tcp"}. */
    String transportName();

    @Override
    void close();
}
