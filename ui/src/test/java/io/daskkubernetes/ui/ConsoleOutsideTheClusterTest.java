package io.daskkubernetes.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console run from outside a cluster's network, as on a laptop: a scheduler whose cluster IP
 * does not route here is sampled through a port-forward (fabric8's, through the local runtime's API
 * server, to a real dask-scheduler pod); and Dask CRDs installed after the console started are
 * watched once they appear.
 *
 * <p>The local runtime routes cluster IPs from the host, so "does not route here" is the sampler's
 * seam: the console is given an {@link AddressReachability} that answers no (and records what it
 * was asked), in place of the TCP probe that a laptop's network would fail.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ConsoleOutsideTheClusterTest {

    static final Path WORKER_SPEC = Path.of("../examples/worker-spec.yml").toAbsolutePath();
    static final Path CRDS = Path.of("../deploy/crds").toAbsolutePath();
    static final Duration SAMPLING = Duration.ofMillis(500);
    static final Duration SLOW = Duration.ofSeconds(60);

    static LocalKubernetes runtime;

    @BeforeAll
    static void startRuntime() {
        runtime = LocalKubernetes.start();
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** The seam: no cluster IP routes here; every address asked about is recorded. */
    static final class Unroutable implements AddressReachability {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public boolean routesHere(String host, List<Integer> ports, Duration timeout) {
            asked.add(host);
            return false;
        }
    }

    static WebConsole startConsole(Unroutable reachability, Duration crdCheckEvery) {
        return WebConsole.start(
                runtime.client(),
                ConsoleOptions.defaults().withNamespace("default").withSamplingInterval(SAMPLING),
                reachability,
                crdCheckEvery);
    }

    @Test
    void aSchedulerWhoseClusterIpDoesNotRouteHereIsSampledThroughAPortForward() throws Exception {
        KubernetesClient client = runtime.client();
        Unroutable reachability = new Unroutable();
        KubeCluster cluster =
                KubeCluster.builder()
                        .kubernetesClient(client)
                        .config(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                        .namespace("default")
                        .workerTemplate(PodTemplateFiles.read(WORKER_SPEC))
                        .workers(1)
                        .start();
        try {
            String clusterIp =
                    client.services()
                            .inNamespace("default")
                            .withName(cluster.name())
                            .get()
                            .getSpec()
                            .getClusterIP();
            int forwardedPort;
            WebConsole first = startConsole(reachability, DaskKindsDiscovery.DEFAULT_EVERY);
            try (WebConsole console = first) {
                ConsoleClient api = new ConsoleClient(console);
                JsonNode row = awaitForwardedRow(api, cluster.name());
                forwardedPort = URI.create(row.get("schedulerAddress").asText()).getPort();
                assertThat(console.sampler().openForwards()).isEqualTo(1);
                assertThat(accepts(forwardedPort)).isTrue();

                // Three more samples through the forward, and the cluster IP was probed once only.
                int points = historyPoints(api, cluster.name());
                await().atMost(SLOW).until(() -> historyPoints(api, cluster.name()) >= points + 3);
                assertThat(reachability.asked).containsExactly(clusterIp);
            }
            // The console closed with the cluster still running: its forward is gone with it.
            assertThat(first.sampler().openForwards()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(forwardedPort));

            // A new console forwards again; deleting the cluster closes that forward.
            try (WebConsole console =
                    startConsole(reachability, DaskKindsDiscovery.DEFAULT_EVERY)) {
                ConsoleClient api = new ConsoleClient(console);
                int port =
                        URI.create(
                                        awaitForwardedRow(api, cluster.name())
                                                .get("schedulerAddress")
                                                .asText())
                                .getPort();
                assertThat(accepts(port)).isTrue();
                cluster.close();
                await().atMost(SLOW)
                        .until(
                                () ->
                                        api.get("/api/clusters").get("clusters").isEmpty()
                                                && console.sampler().openForwards() == 0
                                                && !accepts(port));
            }
        } finally {
            cluster.close();
        }
    }

    @Test
    void aDaskClusterWhoseCrdWasInstalledAfterTheConsoleStartedIsListed() throws Exception {
        KubernetesClient client = runtime.client();
        try (WebConsole console = startConsole(new Unroutable(), Duration.ofMillis(200))) {
            ConsoleClient api = new ConsoleClient(console);
            assertThat(api.get("/api/clusters").get("clusters")).isEmpty();
            for (String kind : List.of("daskclusters", "daskautoscalers")) {
                client.resource(
                                Files.readString(
                                        CRDS.resolve(kind + ".kubernetes.dask.org-v1.yml")))
                        .create();
            }
            // The CRD is served once established; creating the object may have to wait for that.
            await().atMost(SLOW)
                    .ignoreExceptions()
                    .until(
                            () ->
                                    client.resources(DaskCluster.class)
                                                    .inNamespace("default")
                                                    .resource(EmptyDaskCluster.of("late", 1))
                                                    .create()
                                            != null);
            await().atMost(SLOW).until(() -> row(api, "late").isPresent());
            JsonNode row = row(api, "late").orElseThrow();
            assertThat(row.get("kind").asText()).isEqualTo(ClusterKey.DASK_CLUSTER);
            assertThat(row.get("desired").asInt()).isEqualTo(1);
        } finally {
            client.resources(DaskCluster.class).inNamespace("default").withName("late").delete();
        }
    }

    /** Waits until the cluster's row shows one worker sampled through a port-forward. */
    private static JsonNode awaitForwardedRow(ConsoleClient api, String name) {
        await().atMost(SLOW)
                .until(
                        () ->
                                row(api, name)
                                        .filter(r -> r.get("registered").asInt(-1) == 1)
                                        .filter(
                                                r ->
                                                        "port-forward"
                                                                .equals(
                                                                        r.get("schedulerReachedBy")
                                                                                .asText()))
                                        .isPresent());
        JsonNode row = row(api, name).orElseThrow();
        assertThat(row.get("schedulerAddress").asText()).startsWith("tcp://127.0.0.1:");
        assertThat(row.get("problems")).isEmpty();
        return row;
    }

    private static Optional<JsonNode> row(ConsoleClient api, String name) {
        try {
            for (JsonNode row : api.get("/api/clusters").get("clusters")) {
                if (name.equals(row.get("name").asText())) {
                    return Optional.of(row);
                }
            }
            return Optional.empty();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int historyPoints(ConsoleClient api, String name) throws Exception {
        return api.get("/api/cluster?kind=classic&namespace=default&name=" + name)
                .get("history")
                .get("t")
                .size();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
