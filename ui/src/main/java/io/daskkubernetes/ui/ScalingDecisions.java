package io.daskkubernetes.ui;

import io.daskkubernetes.model.AdaptiveBounds;
import io.daskkubernetes.model.DesiredWorkers;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns changes of a cluster's desired worker count, as the informers see them, into scaling
 * decisions with their reasons: the adaptive loop's (with its bounds and what the scheduler last
 * asked for) or a scale request's.
 */
final class ScalingDecisions implements FleetInformers.OwnerChanges {

    private static final Logger log = LoggerFactory.getLogger(ScalingDecisions.class);

    private final ClusterHistory history;
    private final Function<ClusterKey, Optional<String>> autoscalerBounds;

    /**
     * @param autoscalerBounds "min–max" of the DaskAutoscaler of a DaskCluster, if it has one
     */
    ScalingDecisions(
            ClusterHistory history, Function<ClusterKey, Optional<String>> autoscalerBounds) {
        this.history = history;
        this.autoscalerBounds = autoscalerBounds;
    }

    @Override
    public ResourceEventHandler<ConfigMap> classic() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap owner) {
                ClusterKey key = key(ClusterKey.CLASSIC, owner);
                history.decided(
                        key,
                        new ClusterHistory.Decision(
                                Instant.now(), "first seen by this console", false));
            }

            @Override
            public void onUpdate(ConfigMap before, ConfigMap after) {
                try {
                    Optional<DesiredWorkers> was = DesiredWorkers.of(before);
                    Optional<DesiredWorkers> now = DesiredWorkers.of(after);
                    if (now.isEmpty() || Objects.equals(was, now)) {
                        return;
                    }
                    ClusterKey key = key(ClusterKey.CLASSIC, after);
                    Optional<AdaptiveBounds> bounds = AdaptiveBounds.of(after);
                    String reason =
                            bounds.map(
                                            b ->
                                                    "by the adaptive loop within "
                                                            + b.minimum()
                                                            + "–"
                                                            + b.maximum())
                                    .orElse("by a scale request");
                    history.decided(
                            key,
                            new ClusterHistory.Decision(
                                    now.get().requestedAt(),
                                    "desired workers "
                                            + was.map(w -> Integer.toString(w.workers()))
                                                    .orElse("unset")
                                            + " → "
                                            + now.get().workers()
                                            + ", "
                                            + reason,
                                    bounds.isPresent()));
                } catch (RuntimeException e) {
                    // A malformed owner must not stop the informer; the page shows the rest.
                    log.warn(
                            "Cannot read the desired workers of {}: {}",
                            after.getMetadata().getName(),
                            e.getMessage());
                }
            }

            @Override
            public void onDelete(ConfigMap owner, boolean unknownFinalState) {}
        };
    }

    @Override
    public ResourceEventHandler<DaskCluster> daskClusters() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(DaskCluster cluster) {
                history.decided(
                        key(ClusterKey.DASK_CLUSTER, cluster),
                        new ClusterHistory.Decision(
                                Instant.now(), "first seen by this console", false));
            }

            @Override
            public void onUpdate(DaskCluster before, DaskCluster after) {
                Integer was = replicas(before);
                Integer now = replicas(after);
                if (Objects.equals(was, now)) {
                    return;
                }
                ClusterKey key = key(ClusterKey.DASK_CLUSTER, after);
                Optional<String> bounds = autoscalerBounds.apply(key);
                String reason =
                        bounds.map(b -> "by its DaskAutoscaler within " + b)
                                .orElse("by a change of spec.worker.replicas");
                history.decided(
                        key,
                        new ClusterHistory.Decision(
                                Instant.now(),
                                "desired workers " + was + " → " + now + ", " + reason,
                                bounds.isPresent()));
            }

            @Override
            public void onDelete(DaskCluster cluster, boolean unknownFinalState) {}
        };
    }

    static Integer replicas(DaskCluster cluster) {
        return cluster.getSpec() == null || cluster.getSpec().getWorker() == null
                ? null
                : cluster.getSpec().getWorker().replicasOrDefault();
    }

    private static ClusterKey key(String kind, io.fabric8.kubernetes.api.model.HasMetadata o) {
        return new ClusterKey(kind, o.getMetadata().getNamespace(), o.getMetadata().getName());
    }
}
