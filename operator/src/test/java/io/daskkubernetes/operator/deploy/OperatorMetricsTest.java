package io.daskkubernetes.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.operator.OperatorProcess;
import io.daskkubernetes.operator.OperatorSettings;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's gauges come from its own caches: a cluster of cheap pods (no Dask) shows up in
 * /metrics by phase and by worker count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorMetricsTest {

    private LocalKubernetes local;
    private OperatorProcess operator;

    @BeforeAll
    void start() {
        local = LocalKubernetes.builder().start();
        operator =
                OperatorProcess.start(
                        local.client(),
                        OperatorSettings.watching(Set.of()).installingCrds(true),
                        OptionalInt.of(0));
    }

    @AfterAll
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    @Timeout(90)
    void gaugesShowTheClusterAndItsWorkers() {
        local.client().resource(CheapCluster.of("cheap", 3)).create();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () ->
                                assertThat(operator.scrape())
                                        .contains(
                                                "dask_operator_cluster_workers{cluster=\"cheap\",namespace=\"default\"} 3.0")
                                        .contains("dask_operator_workers{phase=\"Running\"} 3.0"));
        assertThat(operator.scrape())
                .containsPattern(
                        "dask_operator_clusters\\{phase=\"(Running|Pending|Created)\"\\} 1.0")
                .contains(
                        "operator_sdk_reconciliations_success_total{group=\"kubernetes.dask.org\",kind=\"DaskWorkerGroup\"");
    }
}
