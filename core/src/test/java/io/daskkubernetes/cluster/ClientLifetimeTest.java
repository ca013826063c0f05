package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.model.ClusterLease;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API tier: the owner a client creates carries its lease and, in a pod, a reference to that pod;
 * the renewer moves the lease on and stops when the cluster is gone.
 */
@EnableKubernetesMockClient(crud = true)
class ClientLifetimeTest {

    static KubernetesClient client;

    @TempDir Path noServiceAccount;

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void theOwnerCarriesTheLeaseAndIsOwnedByTheClientsPodNamedByTheDownwardApi() {
        var notebook =
                client.pods()
                        .inNamespace("team")
                        .resource(
                                new PodBuilder()
                                        .withNewMetadata()
                                        .withName("notebook-0")
                                        .endMetadata()
                                        .withNewSpec()
                                        .addNewContainer()
                                        .withName("jupyter")
                                        .withImage("jupyter")
                                        .endContainer()
                                        .endSpec()
                                        .build())
                        .create();
        ClientLifetime lifetime =
                new ClientLifetime(
                        Duration.ofSeconds(30),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        Map.of("POD_NAME", "notebook-0", "POD_NAMESPACE", "team", "HOSTNAME", "nb"),
                        noServiceAccount);

        ConfigMap owner = lifetime.owner(owner("team", "c1"), client);

        assertThat(ClusterLease.of(owner))
                .hasValueSatisfying(
                        lease -> {
                            assertThat(lease.renewTime()).isEqualTo(NOW);
                            assertThat(lease.duration()).isEqualTo(Duration.ofSeconds(30));
                            assertThat(lease.holderIdentity())
                                    .isEqualTo("nb_" + ProcessHandle.current().pid());
                        });
        assertThat(owner.getMetadata().getOwnerReferences())
                .extracting(
                        OwnerReference::getKind, OwnerReference::getName, OwnerReference::getUid)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "Pod", "notebook-0", notebook.getMetadata().getUid()));
    }

    @Test
    void outsideAPodOrAcrossNamespacesOnlyTheLease() {
        ClientLifetime outside =
                new ClientLifetime(
                        Duration.ofSeconds(30),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        Map.of("HOSTNAME", "laptop"),
                        noServiceAccount);
        assertThat(outside.owner(owner("team", "c2"), client).getMetadata().getOwnerReferences())
                .isNullOrEmpty();

        client.pods()
                .inNamespace("other")
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("notebook-1")
                                .endMetadata()
                                .build())
                .create();
        ClientLifetime elsewhere =
                new ClientLifetime(
                        Duration.ofSeconds(30),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        Map.of("POD_NAME", "notebook-1", "POD_NAMESPACE", "other"),
                        noServiceAccount);
        ConfigMap owner = elsewhere.owner(owner("team", "c3"), client);
        assertThat(owner.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(ClusterLease.of(owner)).isPresent();
    }

    @Test
    void theRenewerMovesTheLeaseOnAndStopsWhenTheClusterIsDeleted() {
        MutableClock clock = new MutableClock(NOW);
        ClientLifetime lifetime =
                new ClientLifetime(
                        Duration.ofSeconds(3), clock, Map.of("HOSTNAME", "h"), noServiceAccount);
        client.configMaps()
                .inNamespace("team")
                .resource(lifetime.owner(owner("team", "c4"), client))
                .create();
        clock.now = NOW.plusSeconds(10);

        try (LeaseRenewer renewer = lifetime.startRenewing(client, "team", "c4")) {
            await("a renewal at the clock's new time")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> renewTime("c4").equals(NOW.plusSeconds(10)));
            client.configMaps().inNamespace("team").withName("c4").delete();
            renewer.renewOnOwner(); // 404: stops renewing, does not recreate anything
            assertThat(client.configMaps().inNamespace("team").withName("c4").get()).isNull();
        }
    }

    private static Instant renewTime(String name) {
        ConfigMap owner = client.configMaps().inNamespace("team").withName(name).get();
        return ClusterLease.of(owner).orElseThrow().renewTime();
    }

    private static ConfigMap owner(String namespace, String name) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withData(Map.of("namespace", namespace))
                .build();
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
