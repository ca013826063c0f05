package io.daskkubernetes.scheduler;

import java.time.Duration;

/**
 * How long a scheduler client waits.
 *
 * @param connect to open a connection (and, over TCP, to finish Dask's handshake)
 * @param request for the answer to one question
 * @param retire for {@code retire_workers}, which waits until the retiring workers' data has moved
 *     to others
 */
public record SchedulerTimeouts(Duration connect, Duration request, Duration retire) {

    /** Ten seconds, the default everywhere. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    /** Moving a worker's data can take much longer than a question: never less than this. */
    public static final Duration MINIMUM_RETIRE = Duration.ofSeconds(60);

    public SchedulerTimeouts {
        requirePositive(connect, "connect");
        requirePositive(request, "request");
        requirePositive(retire, "retire");
    }

    public static SchedulerTimeouts defaults() {
        return of(DEFAULT);
    }

    /** {@code timeout} to connect and to ask; retiring gets at least {@link #MINIMUM_RETIRE}. */
    public static SchedulerTimeouts of(Duration timeout) {
        requirePositive(timeout, "scheduler");
        return new SchedulerTimeouts(
                timeout, timeout, timeout.compareTo(MINIMUM_RETIRE) > 0 ? timeout : MINIMUM_RETIRE);
    }

    private static void requirePositive(Duration timeout, String what) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(what + " timeout must be positive, got " + timeout);
        }
    }
}
