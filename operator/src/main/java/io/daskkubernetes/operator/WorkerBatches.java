package io.daskkubernetes.operator;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paces the creation of worker pods as a {@link WorkerAllocation} says, per worker group. It must
 * remember when each group last created a batch: every new pod's event reconciles its group again
 * at once, and without that memory the next batch would follow the first without any delay.
 */
final class WorkerBatches {

    private final WorkerAllocation allocation;
    private final InstantSource clock;

    /** group uid -> when its last batch was created, only while the group still misses pods */
    private final Map<String, Instant> lastBatch = new ConcurrentHashMap<>();

    WorkerBatches(WorkerAllocation allocation, InstantSource clock) {
        this.allocation = allocation;
        this.clock = clock;
    }

    /** What one reconcile of a group may create now, and when to come back for the rest. */
    record Round(int create, Duration retryAfter) {
        boolean leavesSome(int missing) {
            return create < missing;
        }
    }

    /**
     * @param group the group's uid
     * @param missing the pods the group lacks
     */
    Round next(String group, int missing) {
        Instant now = clock.instant();
        lastBatch.values().removeIf(at -> at.plus(allocation.delay()).isBefore(now));
        if (missing <= 0 || allocation.batchSize().isEmpty()) {
            lastBatch.remove(group);
            return new Round(Math.max(missing, 0), Duration.ZERO);
        }
        Instant last = lastBatch.get(group);
        if (last != null && now.isBefore(last.plus(allocation.delay()))) {
            return new Round(0, Duration.between(now, last.plus(allocation.delay())));
        }
        lastBatch.put(group, now);
        return new Round(Math.min(missing, allocation.batchSize().getAsInt()), allocation.delay());
    }
}
