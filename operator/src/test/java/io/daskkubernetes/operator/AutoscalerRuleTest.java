package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.model.adapt.AdaptiveOptions;
import io.daskkubernetes.model.adapt.AdaptivePolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The autoscaler's decisions, round by round, with no Kubernetes and no scheduler. */
class AutoscalerRuleTest {

    private final AutoscalerRule rule = new AutoscalerRule(AdaptiveOptions.of(1, 5));

    @Test
    void aBacklogScalesUpAtOnceClampedToTheMaximum() {
        ScaleDecision decision = rule.decide(6, 1, nothingAsked());

        assertThat(decision.direction()).isEqualTo(ScaleDecision.Direction.UP);
        assertThat(decision.from()).isEqualTo(1);
        assertThat(decision.to()).isEqualTo(5);
        assertThat(decision.describe())
                .isEqualTo("up 1 → 5: the scheduler wants 6 worker(s), clamped to the maximum 5");
    }

    @Test
    void aScaleDownComesOnlyInTheThirdRoundThatNamesTheSameWorkers() {
        AdaptivePolicy.RemovalCandidates named = target -> List.of("w4", "w3", "w2", "w1");

        assertThat(rule.decide(0, 5, named).direction()).isEqualTo(ScaleDecision.Direction.HOLD);
        ScaleDecision second = rule.decide(0, 5, named);
        assertThat(second.direction()).isEqualTo(ScaleDecision.Direction.HOLD);
        assertThat(second.reason()).contains("raised to the minimum 1", "waiting for 3 rounds");
        ScaleDecision third = rule.decide(0, 5, named);

        assertThat(third.direction()).isEqualTo(ScaleDecision.Direction.DOWN);
        assertThat(third.to()).isEqualTo(1);
        assertThat(third.retire()).containsExactly("w4", "w3", "w2", "w1");
        assertThat(third.describe())
                .startsWith("down 5 → 1: the scheduler wants 0 worker(s)")
                .contains("named [w4, w3, w2, w1] to close in 3 consecutive rounds");
    }

    @Test
    void onlyWorkersNamedInEveryRoundGo() {
        List<List<String>> rounds =
                List.of(List.of("w4", "w3"), List.of("w4", "w2"), List.of("w4", "w2"));
        List<ScaleDecision> decisions = new ArrayList<>();
        for (List<String> named : rounds) {
            decisions.add(rule.decide(3, 5, target -> named));
        }

        assertThat(decisions.get(2).direction()).isEqualTo(ScaleDecision.Direction.DOWN);
        assertThat(decisions.get(2).retire()).containsExactly("w4");
        assertThat(decisions.get(2).to()).isEqualTo(4);
    }

    @Test
    void steadyLoadWithBriefLullsNeverFlaps() {
        // the 4 workers are busy; now and then the target dips, for fewer than 3 rounds each time
        int[] targets = {4, 4, 3, 4, 2, 3, 4, 4, 4, 3, 3, 4, 4, 2, 4, 3, 2, 4, 4, 4};
        int replicas = 4;
        List<ScaleDecision> scaled = new ArrayList<>();
        for (int round = 0; round < 60; round++) {
            int target = targets[round % targets.length];
            ScaleDecision decision = rule.decide(target, replicas, t -> List.of("w3", "w2"));
            if (decision.scales()) {
                scaled.add(decision);
                replicas = decision.to();
            }
        }

        assertThat(scaled).isEmpty();
        assertThat(replicas).isEqualTo(4);
    }

    @Test
    void aTargetAboveTheWorkersThereAreForgetsTheRoundsCounted() {
        AdaptivePolicy.RemovalCandidates named = target -> List.of("w2");
        rule.decide(1, 2, named);
        rule.decide(1, 2, named);
        rule.decide(2, 2, named);

        assertThat(rule.decide(1, 2, named).direction()).isEqualTo(ScaleDecision.Direction.HOLD);
        assertThat(rule.decide(1, 2, named).direction()).isEqualTo(ScaleDecision.Direction.HOLD);
        assertThat(rule.decide(1, 2, named).direction()).isEqualTo(ScaleDecision.Direction.DOWN);
    }

    @Test
    void withoutTheSchedulerOnlyTheMinimumIsRestored() {
        ScaleDecision below = rule.withoutScheduler(0, "the scheduler pod is not running yet");
        assertThat(below.direction()).isEqualTo(ScaleDecision.Direction.UP);
        assertThat(below.to()).isEqualTo(1);
        assertThat(below.reason()).contains("below the minimum 1", "not running yet");

        ScaleDecision above = rule.withoutScheduler(7, "the scheduler pod is not running yet");
        assertThat(above.scales()).isFalse();
        assertThat(above.to()).isEqualTo(7);
    }

    private static AdaptivePolicy.RemovalCandidates nothingAsked() {
        return target -> {
            throw new AssertionError("a scale-up must not ask which workers to remove");
        };
    }
}
