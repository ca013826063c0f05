package io.daskkubernetes.local.api;

import static io.daskkubernetes.local.api.WatchResumeTest.newClient;
import static io.daskkubernetes.local.api.WatchResumeTest.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watches that resume from a resourceVersion the server no longer has the changes after: 410 Gone,
 * as from the API server, after which fabric8's informers list again. The server here keeps 5
 * changes per type.
 */
class WatchExpiryTest {

    private static final int HISTORY = 5;
    private static final String NAMESPACE = "resume";

    private static EmbeddedApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = EmbeddedApiServer.start(ClusterIpAllocator.loopback(), HISTORY);
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
    void deleteThePods() {
        client.pods().inNamespace(NAMESPACE).delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().inNamespace(NAMESPACE).list().getItems().isEmpty());
    }

    /** Creates pods one change after another; returns their resourceVersions. */
    private static List<Long> createPods(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> client.pods().resource(pod(prefix + i, prefix)).create())
                .map(pod -> Long.parseLong(pod.getMetadata().getResourceVersion()))
                .toList();
    }

    @Test
    void aWatchFromBeforeTheHistoryKeptGetsGoneAndOneFromItsStartGetsTheRest() throws Exception {
        List<Long> versions = createPods("old-", HISTORY + 1);
        long firstForgotten = versions.get(0);

        List<String> expired = watchLines(firstForgotten - 1, 1);
        assertThat(expired).hasSize(1);
        JsonNode error = Serialization.unmarshal(expired.get(0), JsonNode.class);
        assertThat(error.path("type").asText()).isEqualTo("ERROR");
        assertThat(error.path("object").path("kind").asText()).isEqualTo("Status");
        assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");

        List<String> resumed = watchLines(firstForgotten, HISTORY);
        assertThat(resumed).allMatch(line -> line.startsWith("{\"type\":\"ADDED\""));
        assertThat(resumed.get(0)).contains("\"name\":\"old-1\"");
        assertThat(resumed.get(HISTORY - 1)).contains("\"name\":\"old-" + HISTORY + "\"");
    }

    /**
     * Reads up to {@code count} events of a streamed HTTP watch of the namespace's pods (fewer if
     * it ends).
     */
    private static List<String> watchLines(long resourceVersion, int count) throws Exception {
        HttpURLConnection watch =
                AuthenticatedConnections.open(
                        server,
                        "/api/v1/namespaces/"
                                + NAMESPACE
                                + "/pods?watch=true&resourceVersion="
                                + resourceVersion);
        watch.setReadTimeout(10_000);
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> events = new java.util.ArrayList<>();
            while (events.size() < count) {
                String line = lines.readLine();
                if (line == null) {
                    break;
                }
                events.add(line);
            }
            return events;
        } finally {
            watch.disconnect();
        }
    }

    @Test
    void aFabric8WatchFromBeforeTheHistoryKeptClosesWithHttpGone() {
        String listed = client.pods().list().getMetadata().getResourceVersion();
        createPods("gone-", HISTORY + 1);
        WatchResumeTest.RecordingWatcher events = new WatchResumeTest.RecordingWatcher();

        try (Watch ignored =
                client.pods()
                        .watch(
                                new ListOptionsBuilder().withResourceVersion(listed).build(),
                                events)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !events.closes.isEmpty());
            assertThat(events.closes.get(0).isHttpGone()).isTrue();
            assertThat(events.names()).isEmpty();
        }
    }

    @Test
    void anInformerThatReconnectsAfterTheHistoryMovedOnListsAgain() throws Exception {
        client.pods().resource(pod("deleted-while-cut", "informed")).create();
        try (CuttableTcpProxy network = new CuttableTcpProxy(URI.create(server.url()).getPort());
                KubernetesClient cutOff = newClient(server, network.url());
                SharedIndexInformer<Pod> informer =
                        cutOff.pods().withLabel("app", "informed").inform()) {
            await().atMost(Duration.ofSeconds(10)).until(informer::isWatching);
            assertThat(names(informer)).containsExactly("deleted-while-cut");

            network.cut();
            client.pods().withName("deleted-while-cut").delete();
            // More changes than the server keeps: the deletion is no longer in its history.
            createPods("informed", HISTORY + 1);
            network.restore();

            // The informer's watch resumes from before the deletion, gets 410 Gone and lists again.
            List<String> expected =
                    IntStream.rangeClosed(0, HISTORY).mapToObj(i -> "informed" + i).toList();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () ->
                                    assertThat(names(informer))
                                            .containsExactlyInAnyOrderElementsOf(expected));
        }
    }

    private static List<String> names(SharedIndexInformer<Pod> informer) {
        Cache<Pod> cache = (Cache<Pod>) informer.getIndexer();
        return cache.list().stream().map(pod -> pod.getMetadata().getName()).toList();
    }
}
