package io.daskkubernetes.operator;

import io.daskkubernetes.config.ConfigException;
import io.daskkubernetes.config.DaskConfig;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * How a worker group creates missing worker pods: all at once (the default), or at most {@code
 * batchSize} per round with {@code delay} between rounds, so that a cluster asking for hundreds of
 * workers reaches the API server, the scheduler and the nodes in waves. The keys and their meaning
 * are upstream's ({@code kubernetes.controller.worker-allocation.batch-size} and {@code .delay},
 * also {@code DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__BATCH_SIZE} and {@code ..._DELAY});
 * upstream's delay also defaults to 5 s.
 *
 * @param batchSize most pods created per round; empty for no limit
 * @param delay the least time between two rounds of one group
 */
public record WorkerAllocation(OptionalInt batchSize, Duration delay) {

    public static final String BATCH_SIZE_KEY =
            "kubernetes.controller.worker-allocation.batch-size";
    public static final String DELAY_KEY = "kubernetes.controller.worker-allocation.delay";
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);

    public WorkerAllocation {
        if (batchSize.isPresent() && batchSize.getAsInt() < 1) {
            throw new IllegalArgumentException(
                    "the worker batch size must be at least 1, not " + batchSize.getAsInt());
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the worker batch delay must not be negative");
        }
    }

    /** Every missing pod at once. */
    public static WorkerAllocation unbatched() {
        return new WorkerAllocation(OptionalInt.empty(), DEFAULT_DELAY);
    }

    public static WorkerAllocation batches(int batchSize, Duration delay) {
        return new WorkerAllocation(OptionalInt.of(batchSize), delay);
    }

    /**
     * Reads upstream's keys.
     *
     * @throws ConfigException naming the file or variable when a value is not a whole number in
     *     range
     */
    public static WorkerAllocation fromConfig(DaskConfig config) {
        Integer batchSize = wholeNumberOrUnset(config, BATCH_SIZE_KEY);
        Integer delaySeconds = wholeNumberOrUnset(config, DELAY_KEY);
        if (batchSize != null && batchSize < 1) {
            throw new ConfigException(
                    config.origin(BATCH_SIZE_KEY),
                    BATCH_SIZE_KEY,
                    batchSize + " is not a batch size",
                    "give at least 1, or null to create every missing worker at once");
        }
        if (delaySeconds != null && delaySeconds < 0) {
            throw new ConfigException(
                    config.origin(DELAY_KEY),
                    DELAY_KEY,
                    delaySeconds + " is not a delay",
                    "give the seconds between two batches (0 or more), or null for 5");
        }
        return new WorkerAllocation(
                batchSize == null ? OptionalInt.empty() : OptionalInt.of(batchSize),
                delaySeconds == null ? DEFAULT_DELAY : Duration.ofSeconds(delaySeconds));
    }

    /**
     * Upstream's chart sets both variables even when their values are null, which Kubernetes passes
     * as empty strings: empty means unset, as it does upstream.
     */
    private static Integer wholeNumberOrUnset(DaskConfig config, String key) {
        String raw = config.getString(key);
        return raw == null || raw.isBlank() ? null : config.getInteger(key);
    }

    @Override
    public String toString() {
        return batchSize.isEmpty()
                ? "all missing workers at once"
                : "at most " + batchSize.getAsInt() + " workers every " + delay.toSeconds() + " s";
    }
}
