package io.daskkubernetes.adapt;

import io.daskkubernetes.model.adapt.AdaptiveDecision;
import java.time.Instant;

/**
 * One round of adaptive scaling, as it was decided: which round it was (counted from 1), when it
 * decided, what the scheduler asked for, how many workers were planned, and what was done.
 */
public record AdaptiveRound(
        long number,
        Instant decidedAt,
        int schedulerTarget,
        int plannedWorkers,
        AdaptiveDecision decision) {

    public boolean scaled() {
        return !(decision instanceof AdaptiveDecision.Hold);
    }
}
