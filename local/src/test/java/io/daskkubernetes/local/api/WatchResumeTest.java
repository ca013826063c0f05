package io.daskkubernetes.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watches that resume from a resourceVersion, as informers use them (list, then watch from the
 * list's resourceVersion): nothing written in between may be lost or repeated. API tier: no pod
 * runs here.
 */
class WatchResumeTest {

    private static final String NAMESPACE = "resume";

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
    void deleteThePods() {
        client.pods().inNamespace(NAMESPACE).delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().inNamespace(NAMESPACE).list().getItems().isEmpty());
    }

    static KubernetesClient newClient(EmbeddedApiServer server, String url) {
        return AuthenticatedConnections.client(server, url, NAMESPACE);
    }

    /** A pod no kubelet runs: without a node it is deleted at once. */
    static Pod pod(String name, String app) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .addToLabels("app", app)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("ignored")
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    void aWatchFromAListsResourceVersionGetsTheChangesMadeSinceInOrderThenLiveOnes() {
        String listed =
                client.pods().withLabel("app", "one").list().getMetadata().getResourceVersion();
        client.pods().resource(pod("a", "one")).create();
        client.pods().resource(pod("unselected", "two")).create();
        client.pods()
                .withName("a")
                .edit(
                        p ->
                                new PodBuilder(p)
                                        .editMetadata()
                                        .addToAnnotations("step", "2")
                                        .endMetadata()
                                        .build());
        client.pods().withName("a").delete();
        RecordingWatcher events = new RecordingWatcher();

        try (Watch ignored =
                client.pods()
                        .withLabel("app", "one")
                        .watch(
                                new ListOptionsBuilder().withResourceVersion(listed).build(),
                                events)) {
            client.pods().resource(pod("b", "one")).create();

            await().atMost(Duration.ofSeconds(10)).until(() -> events.names().contains("ADDED b"));
            assertThat(events.names())
                    .containsExactly("ADDED a", "MODIFIED a", "DELETED a", "ADDED b");
            assertThat(events.resourceVersions())
                    .isSorted()
                    .doesNotHaveDuplicates()
                    .allMatch(version -> version > Long.parseLong(listed));
        }
    }

    @Test
    void aStreamedHttpWatchFromAResourceVersionReplaysTheChangesToo() throws Exception {
        String listed = client.pods().list().getMetadata().getResourceVersion();
        client.pods().resource(pod("c", "one")).create();
        client.pods().withName("c").delete();

        HttpURLConnection watch =
                AuthenticatedConnections.open(
                        server,
                        "/api/v1/namespaces/"
                                + NAMESPACE
                                + "/pods?watch=true&resourceVersion="
                                + listed);
        watch.setReadTimeout(10_000);
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine())
                    .startsWith("{\"type\":\"ADDED\"")
                    .contains("\"name\":\"c\"");
            assertThat(lines.readLine())
                    .startsWith("{\"type\":\"DELETED\"")
                    .contains("\"name\":\"c\"");
        } finally {
            watch.disconnect();
        }
    }

    @Test
    void aWatchWithoutResourceVersionOrWithZeroStartsFromNow() {
        client.pods().resource(pod("gone", "now")).create();
        client.pods().withName("gone").delete();
        client.pods().resource(pod("present", "now")).create();
        Pod present =
                client.pods()
                        .withName("present")
                        .edit(
                                p ->
                                        new PodBuilder(p)
                                                .editMetadata()
                                                .addToAnnotations("step", "2")
                                                .endMetadata()
                                                .build());

        for (String resourceVersion : new String[] {null, "0"}) {
            RecordingWatcher events = new RecordingWatcher();
            try (Watch ignored =
                    client.pods()
                            .withLabel("app", "now")
                            .watch(
                                    new ListOptionsBuilder()
                                            .withResourceVersion(resourceVersion)
                                            .build(),
                                    events)) {
                String live = "live-" + (resourceVersion == null ? "none" : resourceVersion);
                client.pods().resource(pod(live, "now")).create();

                await().atMost(Duration.ofSeconds(10))
                        .until(() -> events.names().contains("ADDED " + live));
                // The current state of what exists, once, then what happens next: no history.
                assertThat(events.names())
                        .as("resourceVersion %s", resourceVersion)
                        .containsExactly("ADDED present", "ADDED " + live);
                assertThat(events.resourceVersions().get(0))
                        .isEqualTo(Long.parseLong(present.getMetadata().getResourceVersion()));
                client.pods().withName(live).delete();
            }
        }
    }

    @Test
    void informersWaitingForPodsToGoSeeDeletionsThatRaceWithTheirStart() throws Exception {
        for (int run = 0; run < 50; run++) {
            String label = "run-" + run;
            List<String> names = List.of(label + "-a", label + "-b", label + "-c");
            names.forEach(name -> client.pods().resource(pod(name, label)).create());
            CompletableFuture<Void> deletions =
                    CompletableFuture.runAsync(
                            () -> names.forEach(name -> client.pods().withName(name).delete()));

            CompletableFuture<List<Pod>> allGone =
                    client.pods().withLabel("app", label).informOnCondition(List::isEmpty);

            deletions.get(10, TimeUnit.SECONDS);
            assertThat(allGone.get(10, TimeUnit.SECONDS)).as("run %d", run).isEmpty();
        }
    }

    /** Records "TYPE name" and the resourceVersion of each event. */
    static final class RecordingWatcher implements Watcher<Pod> {

        private final List<String> names = new CopyOnWriteArrayList<>();
        private final List<Long> resourceVersions = new CopyOnWriteArrayList<>();
        final List<WatcherException> closes = new CopyOnWriteArrayList<>();

        @Override
        public void eventReceived(Action action, Pod pod) {
            resourceVersions.add(Long.parseLong(pod.getMetadata().getResourceVersion()));
            names.add(action + " " + pod.getMetadata().getName());
        }

        @Override
        public void onClose(WatcherException cause) {
            closes.add(cause);
        }

        List<String> names() {
            return new ArrayList<>(names);
        }

        List<Long> resourceVersions() {
            return new ArrayList<>(resourceVersions);
        }
    }
}
