package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lease on a cluster's owner: its annotations, read back, and when it has expired. */
class ClusterLeaseTest {

    private static final Instant RENEWED = Instant.parse("2026-12-05T10:00:00.123456789Z");

    @Test
    void annotationsFollowLeaseSpecFieldsAndReadBack() {
        ClusterLease lease = new ClusterLease("notebook-0:4242", RENEWED, Duration.ofSeconds(60));

        assertThat(lease.annotations())
                .containsExactly(
                        Map.entry(ClusterLease.HOLDER_IDENTITY, "notebook-0:4242"),
                        Map.entry(ClusterLease.RENEW_TIME, "2026-12-05T10:00:00.123456Z"),
                        Map.entry(ClusterLease.DURATION_SECONDS, "60"));
        assertThat(ClusterLease.of(owner(lease.annotations()))).contains(lease);
    }

    @Test
    void expiresOnlyAfterItsDurationWithoutRenewal() {
        Instant renewed = Instant.parse("2026-12-05T10:00:00.123456Z");
        ClusterLease lease = new ClusterLease("a:1", renewed, Duration.ofSeconds(5));

        assertThat(lease.expiresAt()).isEqualTo(renewed.plusSeconds(5));
        assertThat(lease.expired(renewed.plusSeconds(5))).isFalse();
        assertThat(lease.expired(renewed.plusSeconds(5).plusNanos(1000))).isTrue();
        assertThat(lease.renewedAt(renewed.plusSeconds(6)).expired(renewed.plusSeconds(6)))
                .isFalse();
    }

    @Test
    void anOwnerWithoutALeaseNeverExpires() {
        assertThat(ClusterLease.of(owner(Map.of()))).isEmpty();
        assertThat(ClusterLease.of(new ConfigMap())).isEmpty();
    }

    @Test
    void unreadableAnnotationsAreNamed() {
        assertThatThrownBy(
                        () ->
                                ClusterLease.of(
                                        owner(
                                                Map.of(
                                                        ClusterLease.RENEW_TIME,
                                                        "yesterday",
                                                        ClusterLease.DURATION_SECONDS,
                                                        "60"))))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining(ClusterLease.RENEW_TIME)
                .hasMessageContaining("yesterday");
        assertThatThrownBy(
                        () ->
                                ClusterLease.of(
                                        owner(
                                                Map.of(
                                                        ClusterLease.RENEW_TIME,
                                                        RENEWED.toString(),
                                                        ClusterLease.DURATION_SECONDS,
                                                        "a minute"))))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining(ClusterLease.DURATION_SECONDS);
    }

    @Test
    void aDurationUnderOneSecondIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ClusterLease("a:1", RENEWED, Duration.ofMillis(500)))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining(ClusterLease.CONFIG_KEY);
    }

    private static ConfigMap owner(Map<String, String> annotations) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName("c1")
                .withNamespace("default")
                .withAnnotations(annotations)
                .endMetadata()
                .build();
    }
}
