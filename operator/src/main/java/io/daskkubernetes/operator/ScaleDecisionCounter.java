package io.daskkubernetes.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/**
 * Counts the autoscalers' scale decisions in the operator's registry ({@code
 * dask_operator_scale_decisions_total{namespace, cluster, direction}} on /metrics), so that a
 * flapping autoscaler shows as a fast-rising counter. Without a registry it counts nothing.
 */
final class ScaleDecisionCounter {

    static final String NAME = "dask.operator.scale.decisions";

    private final Optional<MeterRegistry> registry;

    ScaleDecisionCounter(Optional<MeterRegistry> registry) {
        this.registry = registry;
    }

    void count(String namespace, String cluster, ScaleDecision decision) {
        if (!decision.scales()) {
            return;
        }
        registry.ifPresent(
                r ->
                        Counter.builder(NAME)
                                .description("Scale decisions of DaskAutoscalers, by direction")
                                .tag("namespace", namespace)
                                .tag("cluster", cluster)
                                .tag("direction", decision.direction().word())
                                .register(r)
                                .increment());
    }
}
