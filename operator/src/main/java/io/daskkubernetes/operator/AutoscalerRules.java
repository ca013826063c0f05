package io.daskkubernetes.operator;

import io.daskkubernetes.model.adapt.AdaptiveOptions;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskAutoscalerSpec;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rule of each DaskAutoscaler, kept between its rounds (by UID, so a re-created autoscaler
 * starts afresh); a change of its bounds or group starts a new rule, since the rounds counted so
 * far were counted against other bounds.
 */
final class AutoscalerRules {

    private record Entry(String bounds, AutoscalerRule rule) {}

    private final Map<String, Entry> byUid = new ConcurrentHashMap<>();
    private final AdaptiveOptions defaults;

    /**
     * @param defaults interval, wait count and target duration for every autoscaler
     */
    AutoscalerRules(AdaptiveOptions defaults) {
        this.defaults = defaults;
    }

    AutoscalerRule of(DaskAutoscaler autoscaler, String group) {
        DaskAutoscalerSpec spec = autoscaler.getSpec();
        String bounds = spec.getMinimum() + ":" + spec.getMaximum() + ":" + group;
        return byUid.compute(
                        autoscaler.getMetadata().getUid(),
                        (uid, existing) ->
                                existing != null && existing.bounds().equals(bounds)
                                        ? existing
                                        : new Entry(
                                                bounds,
                                                new AutoscalerRule(
                                                        new AdaptiveOptions(
                                                                spec.getMinimum(),
                                                                spec.getMaximum(),
                                                                defaults.interval(),
                                                                defaults.waitCount(),
                                                                defaults.targetDuration()))))
                .rule();
    }

    /** Forgets the autoscalers that are gone. */
    void keepOnly(Collection<String> uids) {
        byUid.keySet().retainAll(uids);
    }

    AdaptiveOptions defaults() {
        return defaults;
    }
}
