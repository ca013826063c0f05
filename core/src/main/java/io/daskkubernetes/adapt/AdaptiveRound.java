package io.daskkubernetes.adapt;

/**
 * One round of adaptive scaling, as it was decided: which round it was (counted from 1), what the
 * scheduler asked for, how many workers were planned, and what was done.
 */
public record AdaptiveRound(long number, int schedulerTarget, int plannedWorkers, AdaptiveDecision decision) {

    public boolean scaled() {
        return !(decision instanceof AdaptiveDecision.Hold);
    }
}
