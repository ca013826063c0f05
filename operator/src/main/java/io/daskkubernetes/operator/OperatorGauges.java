package io.daskkubernetes.operator;

import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Gauges of what the operator sees, read from its informers' caches (no API call): DaskClusters per
 * phase, worker pods per phase, and worker pods per cluster. Refreshed before each scrape, so a
 * cluster that is gone leaves no stale row.
 */
final class OperatorGauges {

    private static final String NO_PHASE = "None";

    private final Supplier<Stream<DaskCluster>> clusters;
    private final Supplier<Stream<Pod>> workerPods;
    private final MultiGauge clustersByPhase;
    private final MultiGauge workersByPhase;
    private final MultiGauge workersByCluster;

    OperatorGauges(
            MeterRegistry registry,
            Supplier<Stream<DaskCluster>> clusters,
            Supplier<Stream<Pod>> workerPods) {
        this.clusters = clusters;
        this.workerPods = workerPods;
        this.clustersByPhase =
                MultiGauge.builder("dask.operator.clusters")
                        .description("DaskClusters seen by the operator, by status.phase")
                        .register(registry);
        this.workersByPhase =
                MultiGauge.builder("dask.operator.workers")
                        .description("Dask worker pods seen by the operator, by pod phase")
                        .register(registry);
        this.workersByCluster =
                MultiGauge.builder("dask.operator.cluster.workers")
                        .description("Dask worker pods of each DaskCluster")
                        .register(registry);
    }

    /** Recounts from the caches; call before each scrape. */
    void refresh() {
        clustersByPhase.register(
                rows(
                        count(
                                clusters.get(),
                                c ->
                                        c.getStatus() == null || c.getStatus().getPhase() == null
                                                ? NO_PHASE
                                                : c.getStatus().getPhase()),
                        "phase"),
                true);
        List<Pod> pods =
                workerPods
                        .get()
                        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .toList();
        workersByPhase.register(
                rows(
                        count(
                                pods.stream(),
                                p ->
                                        p.getStatus() == null || p.getStatus().getPhase() == null
                                                ? "Pending"
                                                : p.getStatus().getPhase()),
                        "phase"),
                true);
        Map<String, Long> perCluster =
                count(
                        pods.stream(),
                        p ->
                                p.getMetadata().getNamespace()
                                        + "/"
                                        + p.getMetadata()
                                                .getLabels()
                                                .getOrDefault(DaskLabels.CLUSTER_NAME, ""));
        workersByCluster.register(
                perCluster.entrySet().stream()
                        .map(
                                e -> {
                                    String[] key = e.getKey().split("/", 2);
                                    return MultiGauge.Row.of(
                                            Tags.of("namespace", key[0], "cluster", key[1]),
                                            e.getValue());
                                })
                        .collect(Collectors.toList()),
                true);
    }

    private static <T extends HasMetadata> Map<String, Long> count(
            Stream<T> objects, java.util.function.Function<T, String> key) {
        return objects.collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, Long> counts, String tag) {
        return counts.entrySet().stream()
                .<MultiGauge.Row<?>>map(
                        e -> MultiGauge.Row.of(Tags.of(tag, e.getKey()), e.getValue()))
                .collect(Collectors.toList());
    }
}
