package io.daskkubernetes.model.adapt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision rule of distributed's {@code AdaptiveCore.recommendations}, without any I/O.
 *
 * <p>Up is immediate. Down is deliberate: each round names the workers it would remove, and a
 * worker is removed only once {@code waitCount} consecutive rounds have named it. A round that does
 * not want to shrink forgets every count, so a brief lull never removes a worker. This is what
 * keeps a busy cluster from flapping.
 */
public final class AdaptivePolicy {

    private final AdaptiveOptions options;
    private final Map<String, Integer> roundsNamed = new HashMap<>();

    public AdaptivePolicy(AdaptiveOptions options) {
        this.options = options;
    }

    /**
     * @param schedulerTarget the scheduler's {@code adaptive_target}
     * @param plannedWorkers worker pods that exist or are coming (pending pods count)
     * @param removable the workers a scale-down to the clamped target would remove, in the order of
     *     preference (pending pods first, then the scheduler's choice); asked only when the target
     *     is below {@code plannedWorkers}
     */
    public AdaptiveDecision decide(
            int schedulerTarget, int plannedWorkers, RemovalCandidates removable) {
        int target = options.clamp(schedulerTarget);
        if (target >= plannedWorkers) {
            roundsNamed.clear();
            return target == plannedWorkers
                    ? new AdaptiveDecision.Hold(target)
                    : new AdaptiveDecision.ScaleUp(target);
        }
        List<String> named = removable.toReach(target);
        roundsNamed.keySet().retainAll(named);
        for (String worker : named) {
            roundsNamed.merge(worker, 1, Integer::sum);
        }
        List<String> firm =
                named.stream().filter(w -> roundsNamed.get(w) >= options.waitCount()).toList();
        if (firm.isEmpty()) {
            return new AdaptiveDecision.Hold(plannedWorkers);
        }
        firm.forEach(roundsNamed::remove);
        return new AdaptiveDecision.ScaleDown(firm);
    }

    /**
     * Which workers a scale-down to a target would remove; asked lazily since it costs a scheduler
     * call.
     */
    @FunctionalInterface
    public interface RemovalCandidates {
        List<String> toReach(int target);
    }
}
