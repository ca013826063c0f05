package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskClusterStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorGaugesTest {

    @Test
    void countsClustersAndWorkersPerPhaseAndWorkersPerClusterAtEachRefresh() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<DaskCluster> clusters = new ArrayList<>(List.of(cluster("a", "Running")));
        List<Pod> pods =
                new ArrayList<>(
                        List.of(
                                worker("a", "Running"),
                                worker("a", "Running"),
                                worker("a", "Pending")));
        OperatorGauges gauges = new OperatorGauges(registry, clusters::stream, pods::stream);

        gauges.refresh();
        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("dask_operator_clusters{phase=\"Running\"} 1.0")
                .contains("dask_operator_workers{phase=\"Running\"} 2.0")
                .contains("dask_operator_workers{phase=\"Pending\"} 1.0")
                .contains("dask_operator_cluster_workers{cluster=\"a\",namespace=\"ns\"} 3.0");

        clusters.clear();
        pods.clear();
        gauges.refresh();
        assertThat(registry.scrape())
                .doesNotContain("cluster=\"a\"")
                .doesNotContain("phase=\"Running\"");
    }

    private static DaskCluster cluster(String name, String phase) {
        DaskCluster cluster = new DaskCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        DaskClusterStatus status = new DaskClusterStatus();
        status.setPhase(phase);
        cluster.setStatus(status);
        return cluster;
    }

    private static Pod worker(String cluster, String phase) {
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName(cluster + "-worker-")
                .withNamespace("ns")
                .withLabels(
                        Map.of("dask.org/cluster-name", cluster, "dask.org/component", "worker"))
                .endMetadata()
                .withNewStatus()
                .withPhase(phase)
                .endStatus()
                .build();
    }
}
