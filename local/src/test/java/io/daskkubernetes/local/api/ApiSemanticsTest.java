package io.daskkubernetes.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What kube-apiserver answers to ordinary requests, on the embedded API server alone: typed lists
 * with limit/continue, health endpoints, pod field selectors, pod writes that keep the status and
 * refuse immutable fields, strategic merge patches by patch-merge key.
 */
class ApiSemanticsTest {

    private static final String NAMESPACE = "semantics";
    private static EmbeddedApiServer server;
    private static KubernetesClient client;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        server = EmbeddedApiServer.start(ClusterIpAllocator.loopback());
        http = AuthenticatedConnections.httpClient(server);
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

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                AuthenticatedConnections.request(server, path).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Pod runningPod(String name, String node) {
        Pod pod =
                client.pods()
                        .resource(
                                new PodBuilder()
                                        .withNewMetadata()
                                        .withName(name)
                                        .endMetadata()
                                        .withNewSpec()
                                        .withNodeName(node)
                                        .addNewContainer()
                                        .withName("main")
                                        .withImage("one")
                                        .withCommand("sleep", "60")
                                        .addNewPort()
                                        .withContainerPort(8786)
                                        .endPort()
                                        .addNewEnv()
                                        .withName("A")
                                        .withValue("1")
                                        .endEnv()
                                        .endContainer()
                                        .endSpec()
                                        .build())
                        .create();
        return client.pods()
                .withName(name)
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"status\":{\"phase\":\"Running\",\"conditions\":["
                                + "{\"type\":\"Ready\",\"status\":\"True\"},"
                                + "{\"type\":\"Initialized\",\"status\":\"True\"}]}}");
    }

    @Test
    void watchesWithSetBasedSelectorsSeeOnlyWhatTheySelect() {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (io.fabric8.kubernetes.client.Watch watch =
                client.configMaps()
                        .withLabelSelector(
                                new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                                        .addNewMatchExpression()
                                        .withKey("tier")
                                        .withOperator("In")
                                        .withValues("front", "back")
                                        .endMatchExpression()
                                        .build())
                        .watch(
                                new io.fabric8.kubernetes.client.Watcher<>() {
                                    @Override
                                    public void eventReceived(
                                            Action action,
                                            io.fabric8.kubernetes.api.model.ConfigMap cm) {
                                        events.add(action + " " + cm.getMetadata().getName());
                                    }

                                    @Override
                                    public void onClose(
                                            io.fabric8.kubernetes.client.WatcherException e) {}
                                })) {
            for (String[] nameAndTier :
                    new String[][] {
                        {"w-front", "front"}, {"w-middle", "middle"}, {"w-back", "back"}
                    }) {
                client.configMaps()
                        .resource(
                                new ConfigMapBuilder()
                                        .withNewMetadata()
                                        .withName(nameAndTier[0])
                                        .addToLabels("tier", nameAndTier[1])
                                        .endMetadata()
                                        .build())
                        .create();
            }
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> events.contains("ADDED w-back"));
            assertThat(events).containsExactly("ADDED w-front", "ADDED w-back");
        }
    }

    @Test
    void healthEndpointsAnswerOk() throws Exception {
        for (String path : List.of("/healthz", "/livez", "/readyz", "/readyz?verbose")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
        }
    }

    @Test
    void listsAreTypedAndPagedWithLimitAndContinue() throws Exception {
        for (int i = 0; i < 5; i++) {
            client.configMaps()
                    .resource(
                            new ConfigMapBuilder()
                                    .withNewMetadata()
                                    .withName("page-" + i)
                                    .addToLabels("paged", "yes")
                                    .endMetadata()
                                    .build())
                    .create();
        }
        JsonNode raw =
                Serialization.unmarshal(
                        get("/api/v1/namespaces/" + NAMESPACE + "/configmaps").body(),
                        JsonNode.class);
        assertThat(raw.path("kind").asText()).isEqualTo("ConfigMapList");
        assertThat(raw.path("apiVersion").asText()).isEqualTo("v1");

        List<String> seen = new ArrayList<>();
        String continueToken = null;
        int pages = 0;
        do {
            ConfigMapList page =
                    client.configMaps()
                            .withLabel("paged", "yes")
                            .list(
                                    new ListOptionsBuilder()
                                            .withLimit(2L)
                                            .withContinue(continueToken)
                                            .build());
            page.getItems().forEach(cm -> seen.add(cm.getMetadata().getName()));
            assertThat(page.getItems()).hasSizeLessThanOrEqualTo(2);
            continueToken = page.getMetadata().getContinue();
            pages++;
        } while (continueToken != null && !continueToken.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("page-0", "page-1", "page-2", "page-3", "page-4");
    }

    @Test
    void podFieldSelectorsSelectByPhaseAndNode() {
        runningPod("on-local", "local");
        runningPod("elsewhere", "other-node");

        assertThat(client.pods().withField("spec.nodeName", "local").list().getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("on-local");
        assertThat(
                        client.pods()
                                .withField("status.phase", "Running")
                                .withoutField("metadata.name", "on-local")
                                .list()
                                .getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("elsewhere");
        assertThatThrownBy(() -> client.pods().withField("spec.image", "x").list())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(
                        e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(400));
        client.pods().withName("on-local").withGracePeriod(0).delete();
        client.pods().withName("elsewhere").withGracePeriod(0).delete();
    }

    @Test
    void podWritesKeepTheStatusAndTheImmutableSpec() {
        runningPod("kept", "nowhere");

        // A PUT without status (what an update from a client-built object sends) keeps it.
        Pod replacement =
                new PodBuilder(client.pods().withName("kept").get())
                        .withStatus(null)
                        .editMetadata()
                        .addToLabels("touched", "yes")
                        .endMetadata()
                        .build();
        Pod updated = client.pods().resource(replacement).update();
        assertThat(updated.getMetadata().getLabels()).containsEntry("touched", "yes");
        assertThat(updated.getStatus().getPhase()).isEqualTo("Running");

        // The image may change; the command may not.
        client.pods()
                .withName("kept")
                .patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"two\"}]}}");
        Pod patched = client.pods().withName("kept").get();
        assertThat(patched.getSpec().getContainers().get(0).getImage()).isEqualTo("two");
        assertThat(patched.getSpec().getContainers().get(0).getCommand())
                .containsExactly("sleep", "60");
        assertThat(patched.getSpec().getContainers().get(0).getPorts()).hasSize(1);
        assertThatThrownBy(
                        () ->
                                client.pods()
                                        .withName("kept")
                                        .patch(
                                                PatchContext.of(PatchType.JSON_MERGE),
                                                "{\"spec\":{\"containers\":[{\"name\":\"main\","
                                                        + "\"image\":\"x\",\"command\":[\"sh\"]}]}}"))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec: Forbidden: pod updates may not change fields")
                .satisfies(
                        e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422));

        // Status conditions merge by type.
        client.pods()
                .withName("kept")
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}");
        assertThat(client.pods().withName("kept").get().getStatus().getConditions())
                .extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactlyInAnyOrder("Ready=False", "Initialized=True");
        client.pods().withName("kept").withGracePeriod(0).delete();
    }

    @Test
    void strategicMergePatchesMergeServicePortsAndEnvByKey() {
        client.services()
                .resource(
                        new ServiceBuilder()
                                .withNewMetadata()
                                .withName("ports")
                                .endMetadata()
                                .withNewSpec()
                                .addNewPort()
                                .withName("tcp-comm")
                                .withPort(8786)
                                .endPort()
                                .addNewPort()
                                .withName("http-dashboard")
                                .withPort(8787)
                                .endPort()
                                .endSpec()
                                .build())
                .create();

        client.services()
                .withName("ports")
                .patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"ports\":[{\"port\":8787,\"name\":\"http-dash\"}]}}");

        Service service = client.services().withName("ports").get();
        assertThat(service.getSpec().getPorts())
                .extracting(p -> p.getName() + ":" + p.getPort())
                .containsExactly("tcp-comm:8786", "http-dash:8787");

        client.services()
                .withName("ports")
                .patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"ports\":[{\"port\":8786,\"$patch\":\"delete\"}]}}");
        assertThat(client.services().withName("ports").get().getSpec().getPorts())
                .extracting(p -> p.getPort())
                .containsExactly(8787);
    }
}
