package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.SpecException;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaseReaperTest {

    private static final Instant RENEWED = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void aClusterWithoutALeaseIsNeverReapedNorLookedAtAgain() {
        LeaseReaper.Verdict verdict =
                LeaseReaper.judge(cluster(Map.of("other", "x")), RENEWED.plusSeconds(86400));

        assertThat(verdict.expired()).isFalse();
        assertThat(verdict.recheck()).isEmpty();
    }

    @Test
    void aLiveLeaseIsLookedAtAgainJustAfterItWouldExpire() {
        DaskCluster cluster =
                cluster(
                        new ClusterLease("laptop:42", RENEWED, Duration.ofSeconds(10))
                                .annotations());

        LeaseReaper.Verdict verdict = LeaseReaper.judge(cluster, RENEWED.plusSeconds(4));

        assertThat(verdict.expired()).isFalse();
        assertThat(verdict.recheck()).contains(Duration.ofMillis(6200));
    }

    @Test
    void anExpiredLeaseReapsTheClusterSayingWhoseLeaseItWas() {
        DaskCluster cluster =
                cluster(
                        new ClusterLease("laptop:42", RENEWED, Duration.ofSeconds(10))
                                .annotations());

        LeaseReaper.Verdict verdict = LeaseReaper.judge(cluster, RENEWED.plusSeconds(11));

        assertThat(verdict.expired()).isTrue();
        assertThat(verdict.reason())
                .contains("laptop:42", "2026-12-05T12:00:10Z", "deleting the cluster");
    }

    @Test
    void anUnreadableLeaseIsAnErrorNamingTheAnnotation() {
        DaskCluster cluster =
                cluster(
                        Map.of(
                                ClusterLease.RENEW_TIME,
                                "yesterday",
                                ClusterLease.DURATION_SECONDS,
                                "10"));

        assertThatThrownBy(() -> LeaseReaper.judge(cluster, RENEWED))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining(ClusterLease.RENEW_TIME);
    }

    private static DaskCluster cluster(Map<String, String> annotations) {
        DaskCluster cluster = new DaskCluster();
        cluster.setMetadata(
                new ObjectMetaBuilder().withName("c").withAnnotations(annotations).build());
        return cluster;
    }
}
