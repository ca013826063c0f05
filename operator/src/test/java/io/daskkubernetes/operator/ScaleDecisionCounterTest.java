package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScaleDecisionCounterTest {

    @Test
    void scaleDecisionsAreCountedByClusterAndDirectionAndHoldsAreNot() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScaleDecisionCounter counter = new ScaleDecisionCounter(Optional.of(registry));

        counter.count("default", "simple", up(1, 5));
        counter.count("default", "simple", up(5, 6));
        counter.count(
                "default",
                "simple",
                new ScaleDecision(ScaleDecision.Direction.DOWN, 6, 1, List.of("w"), "idle"));
        counter.count("default", "simple", ScaleDecision.hold(1, "steady"));

        String scrape = registry.scrape();
        assertThat(scrape)
                .contains(
                        "dask_operator_scale_decisions_total{cluster=\"simple\",direction=\"up\",namespace=\"default\"} 2.0")
                .contains(
                        "dask_operator_scale_decisions_total{cluster=\"simple\",direction=\"down\",namespace=\"default\"} 1.0")
                .doesNotContain("direction=\"hold\"");
    }

    @Test
    void withoutARegistryNothingIsCountedAndNothingFails() {
        new ScaleDecisionCounter(Optional.empty()).count("default", "simple", up(1, 2));
    }

    private static ScaleDecision up(int from, int to) {
        return new ScaleDecision(ScaleDecision.Direction.UP, from, to, List.of(), "backlog");
    }
}
