package io.daskkubernetes.model.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptivePolicyTest {

    private final AdaptivePolicy policy = new AdaptivePolicy(AdaptiveOptions.of(1, 6));

    @Test
    void scalesUpAtOnceToTheClampedTarget() {
        assertThat(policy.decide(4, 1, unused())).isEqualTo(new AdaptiveDecision.ScaleUp(4));
        assertThat(policy.decide(50, 4, unused())).isEqualTo(new AdaptiveDecision.ScaleUp(6));
    }

    @Test
    void raisesToTheMinimumEvenWhenTheSchedulerWantsNothing() {
        assertThat(policy.decide(0, 0, unused())).isEqualTo(new AdaptiveDecision.ScaleUp(1));
        assertThat(policy.decide(0, 1, unused())).isEqualTo(new AdaptiveDecision.Hold(1));
    }

    @Test
    void scalesDownOnlyAfterWaitCountRoundsNameTheSameWorkers() {
        List<String> named = List.of("w-3", "w-4");
        assertThat(policy.decide(2, 4, target -> named)).isEqualTo(new AdaptiveDecision.Hold(4));
        assertThat(policy.decide(2, 4, target -> named)).isEqualTo(new AdaptiveDecision.Hold(4));
        assertThat(policy.decide(2, 4, target -> named))
                .isEqualTo(new AdaptiveDecision.ScaleDown(named));
    }

    @Test
    void aRoundThatDoesNotWantToShrinkResetsTheCount() {
        List<String> named = List.of("w-4");
        policy.decide(3, 4, target -> named);
        policy.decide(3, 4, target -> named);
        assertThat(policy.decide(4, 4, unused())).isEqualTo(new AdaptiveDecision.Hold(4));
        assertThat(policy.decide(3, 4, target -> named)).isEqualTo(new AdaptiveDecision.Hold(4));
        assertThat(policy.decide(3, 4, target -> named)).isEqualTo(new AdaptiveDecision.Hold(4));
        assertThat(policy.decide(3, 4, target -> named))
                .isEqualTo(new AdaptiveDecision.ScaleDown(named));
    }

    @Test
    void onlyWorkersNamedInEveryRoundAreRemoved() {
        policy.decide(2, 4, target -> List.of("w-3", "w-4"));
        policy.decide(2, 4, target -> List.of("w-2", "w-4"));
        assertThat(policy.decide(2, 4, target -> List.of("w-2", "w-4")))
                .isEqualTo(new AdaptiveDecision.ScaleDown(List.of("w-4")));
    }

    @Test
    void asksForCandidatesWithTheClampedTarget() {
        List<Integer> asked = new ArrayList<>();
        policy.decide(
                0,
                4,
                target -> {
                    asked.add(target);
                    return List.of();
                });
        assertThat(asked).containsExactly(1);
    }

    @Test
    void rejectsBoundsThatCannotBeMet() {
        assertThatThrownBy(() -> AdaptiveOptions.of(5, 2))
                .hasMessageContaining("minimum 5 is above maximum 2");
        assertThatThrownBy(() -> AdaptiveOptions.of(-1, 2)).hasMessageContaining("minimum is -1");
        assertThatThrownBy(() -> AdaptiveOptions.of(1, 2).withInterval(Duration.ZERO))
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> AdaptiveOptions.of(1, 2).withWaitCount(0))
                .hasMessageContaining("waitCount");
    }

    private static AdaptivePolicy.RemovalCandidates unused() {
        return target -> {
            throw new AssertionError(
                    "a round that does not shrink must not ask the scheduler whom to close");
        };
    }
}
