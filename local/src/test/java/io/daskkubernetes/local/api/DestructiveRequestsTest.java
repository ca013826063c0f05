package io.daskkubernetes.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The requests that destroy when misunderstood: set-based selectors select exactly what they say,
 * dry runs store nothing, and deletion propagation (Orphan, Background, Foreground) does what
 * Kubernetes does.
 */
class DestructiveRequestsTest {

    private static final String NAMESPACE = "careful";
    private static EmbeddedApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = EmbeddedApiServer.start(ClusterIpAllocator.loopback());
        client = AuthenticatedConnections.clientInNewNamespace(server, NAMESPACE);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void deleteEverything() {
        client.configMaps().delete();
    }

    private static ConfigMap configMap(String name, Map<String, String> labels) {
        return client.configMaps()
                .resource(
                        new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withLabels(labels)
                                .endMetadata()
                                .addToData("k", "v")
                                .build())
                .create();
    }

    private static List<String> names() {
        return client.configMaps().list().getItems().stream()
                .map(cm -> cm.getMetadata().getName())
                .sorted()
                .toList();
    }

    @Test
    void setBasedSelectorsSelectExactlyWhatTheySay() {
        configMap("a", Map.of("app", "a", "tier", "1"));
        configMap("b", Map.of("app", "b", "tier", "2"));
        configMap("c", Map.of());

        assertThat(
                        client.configMaps()
                                .withLabelSelector(
                                        new LabelSelectorBuilder()
                                                .addNewMatchExpression()
                                                .withKey("app")
                                                .withOperator("In")
                                                .withValues("a", "x")
                                                .endMatchExpression()
                                                .build())
                                .list()
                                .getItems())
                .extracting(cm -> cm.getMetadata().getName())
                .containsExactly("a");
        assertThat(
                        client.configMaps()
                                .withLabelSelector(
                                        new LabelSelectorBuilder()
                                                .addNewMatchExpression()
                                                .withKey("app")
                                                .withOperator("NotIn")
                                                .withValues("a")
                                                .endMatchExpression()
                                                .build())
                                .list()
                                .getItems())
                .extracting(cm -> cm.getMetadata().getName())
                .containsExactly("b", "c");
        assertThat(client.configMaps().withoutLabel("app").list().getItems())
                .extracting(cm -> cm.getMetadata().getName())
                .containsExactly("c");

        // A set-based selector that matches nothing deletes nothing.
        List<StatusDetails> deleted =
                client.configMaps()
                        .withLabelSelector(
                                new LabelSelectorBuilder()
                                        .addNewMatchExpression()
                                        .withKey("app")
                                        .withOperator("In")
                                        .withValues("q")
                                        .endMatchExpression()
                                        .build())
                        .delete();
        assertThat(deleted).isEmpty();
        assertThat(names()).containsExactly("a", "b", "c");

        client.configMaps()
                .withLabelSelector(
                        new LabelSelectorBuilder()
                                .addNewMatchExpression()
                                .withKey("tier")
                                .withOperator("In")
                                .withValues("2")
                                .endMatchExpression()
                                .build())
                .delete();
        assertThat(names()).containsExactly("a", "c");
    }

    @Test
    void dryRunsAnswerButStoreNothing() {
        ConfigMap wouldBe =
                client.configMaps()
                        .resource(
                                new ConfigMapBuilder()
                                        .withNewMetadata()
                                        .withName("dry")
                                        .endMetadata()
                                        .build())
                        .dryRun()
                        .create();
        assertThat(wouldBe.getMetadata().getName()).isEqualTo("dry");
        assertThat(names()).isEmpty();

        configMap("live", Map.of("v", "1"));
        ConfigMap patched =
                client.configMaps()
                        .withName("live")
                        .dryRun()
                        .patch(
                                PatchContext.of(PatchType.JSON_MERGE),
                                "{\"data\":{\"k\":\"changed\"}}");
        assertThat(patched.getData()).containsEntry("k", "changed");
        ConfigMap replaced =
                client.configMaps()
                        .withName("live")
                        .dryRun()
                        .edit(cm -> new ConfigMapBuilder(cm).addToData("k", "edited").build());
        assertThat(replaced.getData()).containsEntry("k", "edited");
        client.configMaps().withName("live").dryRun().delete();
        client.configMaps().dryRun().delete();

        ConfigMap live = client.configMaps().withName("live").get();
        assertThat(live.getData()).containsEntry("k", "v");
        assertThat(names()).containsExactly("live");
    }

    @Test
    void orphanKeepsTheDependentsAndDropsTheirOwnerReference() {
        ConfigMap owner = configMap("owner", Map.of());
        ConfigMap dependent = configMap("dependent", Map.of());
        ownedBy(dependent, owner);

        client.configMaps()
                .withName("owner")
                .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.ORPHAN)
                .delete();

        assertThat(names()).containsExactly("dependent");
        assertThat(
                        client.configMaps()
                                .withName("dependent")
                                .get()
                                .getMetadata()
                                .getOwnerReferences())
                .isEmpty();
    }

    @Test
    void foregroundKeepsTheOwnerUntilItsDependentsAreGone() {
        ConfigMap owner = configMap("owner", Map.of());
        ConfigMap held = configMap("held", Map.of());
        ownedBy(held, owner);
        client.configMaps()
                .withName("held")
                .edit(
                        cm ->
                                new ConfigMapBuilder(cm)
                                        .editMetadata()
                                        .addToFinalizers("test/hold")
                                        .endMetadata()
                                        .build());

        client.configMaps()
                .withName("owner")
                .withPropagationPolicy(
                        io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND)
                .delete();

        ConfigMap deleting = client.configMaps().withName("owner").get();
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(deleting.getMetadata().getFinalizers()).contains("foregroundDeletion");
        assertThat(client.configMaps().withName("held").get().getMetadata().getDeletionTimestamp())
                .isNotNull();

        client.configMaps()
                .withName("held")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"finalizers\":null}}");

        await().atMost(Duration.ofSeconds(10)).until(() -> names().isEmpty());
    }

    private static void ownedBy(ConfigMap dependent, HasMetadata owner) {
        client.configMaps()
                .withName(dependent.getMetadata().getName())
                .edit(
                        cm ->
                                new ConfigMapBuilder(cm)
                                        .editMetadata()
                                        .withOwnerReferences(
                                                new OwnerReferenceBuilder()
                                                        .withApiVersion("v1")
                                                        .withKind("ConfigMap")
                                                        .withName(owner.getMetadata().getName())
                                                        .withUid(owner.getMetadata().getUid())
                                                        .build())
                                        .endMetadata()
                                        .build());
    }
}
