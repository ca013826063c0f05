package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpstreamAutoscalerModelTest {

    @Test
    void fiveToOneTakesFourStepsOfAtMostAQuarterEachFifteenSecondsApart() {
        assertThat(UpstreamAutoscalerModel.steps(5, 1)).isEqualTo(4);
        assertThat(UpstreamAutoscalerModel.steps(6, 1)).isEqualTo(5);
        assertThat(UpstreamAutoscalerModel.steps(20, 1)).isEqualTo(10);

        // scaled up at 0 (ticks at 0, 5, 10, ...), work done at 8 s: the cooldown ends at 15 s,
        // then one step per 15 s: 15 (5→4), 30 (4→3), 45 (3→2), 60 (2→1)
        assertThat(UpstreamAutoscalerModel.scaleDownToMinimum(5, 1, 8, 0, 0)).isEqualTo(60.0);
        // the complaint: 6 → 1 takes over a minute
        assertThat(UpstreamAutoscalerModel.scaleDownToMinimum(6, 1, 20, 0, 0)).isGreaterThan(60.0);
    }
}
