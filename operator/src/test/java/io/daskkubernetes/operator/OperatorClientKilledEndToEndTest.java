package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.operator.api.DaskCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No orphans (issue 15, Must show 5): a Java client that created a DaskCluster through
 * OperatorKubeCluster is killed with SIGKILL; its lease stops being renewed and the operator
 * deletes the cluster within the lease duration + 10 s.
 *
 * <p>Needs the operator's side, which deletes DaskClusters whose lease expired: written by another
 * helper in parallel.
 */
class OperatorClientKilledEndToEndTest {

    private static final long LEASE_SECONDS = 5;

    @Test
    @Timeout(90)
    void aClientKilledWithSigkillLeavesNoClusterOnceItsLeaseExpired() {
        try (LocalKubernetes local = LocalKubernetes.builder().start();
                DaskOperator operator = DaskOperator.start(local.client(), Set.of(), true);
                OperatorChildProcess client =
                        OperatorChildProcess.startMain(
                                OperatorClientChildMain.class,
                                List.of(
                                        local.kubeconfig().toString(),
                                        "orphan",
                                        String.valueOf(LEASE_SECONDS)),
                                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                                "cluster ready",
                                Duration.ofSeconds(60))) {
            var cluster =
                    local.client()
                            .resources(DaskCluster.class)
                            .inNamespace("default")
                            .withName("orphan");
            assertThat(ClusterLease.of(cluster.get()).orElseThrow().duration())
                    .isEqualTo(Duration.ofSeconds(LEASE_SECONDS));

            client.kill();
            long killed = System.nanoTime();

            await().atMost(Duration.ofSeconds(LEASE_SECONDS + 10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.get() == null);
            System.out.printf(
                    "DaskCluster of the killed client deleted %d ms after SIGKILL%n",
                    Duration.ofNanos(System.nanoTime() - killed).toMillis());
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    local.client()
                                            .pods()
                                            .inNamespace("default")
                                            .withLabel("dask.org/cluster-name", "orphan")
                                            .list()
                                            .getItems()
                                            .isEmpty());
        }
    }
}
