package io.daskkubernetes.operator;

import io.daskkubernetes.model.adapt.AdaptiveDecision;
import io.daskkubernetes.model.adapt.AdaptiveOptions;
import io.daskkubernetes.model.adapt.AdaptivePolicy;
import java.util.List;

/**
 * One DaskAutoscaler's decision rule: the classic client's {@link AdaptivePolicy} (up at once; down
 * only for workers the scheduler has named in {@code waitCount} consecutive rounds), applied to a
 * worker group's replicas and explained in words. It remembers the rounds, so one instance serves
 * one autoscaler for as long as its bounds stay the same. No I/O.
 */
final class AutoscalerRule {

    private final AdaptiveOptions options;
    private final AdaptivePolicy policy;

    AutoscalerRule(AdaptiveOptions options) {
        this.options = options;
        this.policy = new AdaptivePolicy(options);
    }

    AdaptiveOptions options() {
        return options;
    }

    /**
     * @param schedulerTarget the scheduler's {@code adaptive_target}
     * @param replicas the group's {@code spec.worker.replicas}
     * @param removable the group's workers (pod names) that would go to reach a lower target, in
     *     order of preference; asked only when the target is below {@code replicas}
     */
    ScaleDecision decide(
            int schedulerTarget, int replicas, AdaptivePolicy.RemovalCandidates removable) {
        AdaptiveDecision decision = policy.decide(schedulerTarget, replicas, removable);
        String wants =
                "the scheduler wants " + schedulerTarget + " worker(s)" + clamping(schedulerTarget);
        if (decision instanceof AdaptiveDecision.ScaleUp up) {
            return new ScaleDecision(
                    ScaleDecision.Direction.UP, replicas, up.workers(), List.of(), wants);
        }
        if (decision instanceof AdaptiveDecision.ScaleDown down) {
            List<String> retire = down.workers();
            return new ScaleDecision(
                    ScaleDecision.Direction.DOWN,
                    replicas,
                    replicas - retire.size(),
                    retire,
                    wants
                            + "; it named "
                            + retire
                            + " to close in "
                            + options.waitCount()
                            + " consecutive rounds");
        }
        int target = Math.max(options.minimum(), Math.min(options.maximum(), schedulerTarget));
        return ScaleDecision.hold(
                replicas,
                target < replicas
                        ? wants + "; waiting for " + options.waitCount() + " rounds to agree"
                        : wants);
    }

    /**
     * The scale-up to the minimum that needs no scheduler (no worker is removed), for rounds in
     * which the scheduler cannot be asked.
     */
    ScaleDecision withoutScheduler(int replicas, String problem) {
        if (replicas < options.minimum()) {
            return new ScaleDecision(
                    ScaleDecision.Direction.UP,
                    replicas,
                    options.minimum(),
                    List.of(),
                    "below the minimum " + options.minimum() + " (" + problem + ")");
        }
        return ScaleDecision.hold(replicas, problem);
    }

    private String clamping(int schedulerTarget) {
        if (schedulerTarget > options.maximum()) {
            return ", clamped to the maximum " + options.maximum();
        }
        if (schedulerTarget < options.minimum()) {
            return ", raised to the minimum " + options.minimum();
        }
        return "";
    }
}
