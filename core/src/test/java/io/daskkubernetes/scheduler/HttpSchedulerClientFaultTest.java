package io.daskkubernetes.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP client against a scripted HTTP server: errors, odd bodies, silence, missing routes. */
@Timeout(30)
class HttpSchedulerClientFaultTest {

    private static final SchedulerTimeouts SHORT = SchedulerTimeouts.of(Duration.ofMillis(500));

    /** Canned answers by path: status and body. */
    private final Map<String, Map.Entry<Integer, String>> answers = new ConcurrentHashMap<>();

    private final Map<String, String> requestBodies = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;
    private HttpSchedulerClient client;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
        client =
                new HttpSchedulerClient(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                        null,
                        SHORT);
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        client.close();
        server.stop(0);
        executor.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requestBodies.put(
                path, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map.Entry<Integer, String> answer =
                answers.getOrDefault(path, Map.entry(404, "404: Not Found"));
        byte[] body = answer.getValue().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.getKey(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void readsTheAdaptiveTarget() {
        answers.put("/api/v1/adaptive_target", Map.entry(200, "{\"workers\": 4}"));

        assertThat(client.adaptiveTarget()).isEqualTo(4);
    }

    @Test
    void aServerErrorIsReportedWithItsStatusAndBody() {
        answers.put(
                "/api/v1/adaptive_target",
                Map.entry(500, "{\"Error\": \"Internal Server Error\"}"));

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerException.class)
                .hasMessageContaining("answered HTTP 500 (expected 200)")
                .hasMessageContaining("Internal Server Error");
    }

    @Test
    void aMissingRouteSaysHowToSwitchItOn() {
        assertThatThrownBy(client::adaptiveTarget)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES");
    }

    @Test
    void aBodyThatIsNotJsonIsAnUnexpectedReply() {
        answers.put("/api/v1/adaptive_target", Map.entry(200, "<html>dashboard</html>"));

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerException.class)
                .hasMessageContaining("expected JSON, got <html>dashboard</html>");
    }

    @Test
    void aTargetThatIsNotANumberIsAnUnexpectedReply() {
        answers.put("/api/v1/adaptive_target", Map.entry(200, "{\"workers\": \"many\"}"));

        assertThatThrownBy(client::adaptiveTarget)
                .hasMessageContaining("expected a whole number, got String many");
    }

    @Test
    void pythonsNanInWorkerMetricsIsAccepted() {
        answers.put(
                "/json/identity.json",
                Map.entry(
                        200,
                        """
                {"type": "Scheduler", "id": "Scheduler-1", "address": "tcp://10.0.0.1:8786",
                 "services": {"dashboard": 8787},
                 "workers": {"tcp://10.0.0.2:4000": {"name": "pod-a", "host": "10.0.0.2", "nthreads": 2,
                   "memory_limit": 4000000000, "status": "running", "nanny": "tcp://10.0.0.2:4001",
                   "metrics": {"cpu": NaN, "managed_bytes": 800, "task_counts": {"memory": 3, "executing": 1}}}}}
                """));

        SchedulerInfo info = client.identity();

        assertThat(info.services()).containsEntry("dashboard", 8787);
        assertThat(info.workers())
                .containsExactly(
                        new DaskWorker(
                                "tcp://10.0.0.2:4000",
                                "pod-a",
                                "10.0.0.2",
                                "tcp://10.0.0.2:4001",
                                2,
                                4_000_000_000L,
                                "running",
                                800,
                                Map.of("memory", 3, "executing", 1)));
        assertThat(info.workers().get(0).tasksStored()).isEqualTo(3);
        assertThat(info.workers().get(0).tasksExecuting()).isEqualTo(1);
    }

    @Test
    void withoutTheJsonRouteWorkersComeFromGetWorkers() {
        answers.put(
                "/api/v1/get_workers",
                Map.entry(
                        200,
                        "{\"num_workers\": 1, \"workers\": [{\"name\": \"pod-a\", \"address\": \"tcp://10.0.0.2:4000\"}]}"));

        assertThat(client.workers())
                .containsExactly(DaskWorker.named("tcp://10.0.0.2:4000", "pod-a"));
    }

    @Test
    void retirePostsTheAddressesAndReadsTheRetiredIdentities() {
        answers.put(
                "/api/v1/retire_workers",
                Map.entry(
                        200, "{\"tcp://10.0.0.2:4000\": {\"name\": \"pod-a\", \"nthreads\": 1}}"));

        var retired = client.retireWorkers(List.of("tcp://10.0.0.2:4000"));

        assertThat(retired).containsOnlyKeys("tcp://10.0.0.2:4000");
        assertThat(requestBodies.get("/api/v1/retire_workers"))
                .isEqualTo("{\"workers\":[\"tcp://10.0.0.2:4000\"]}");
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithAClearError() throws IOException {
        server.createContext(
                "/slow",
                exchange -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.close();
                });
        try (HttpSchedulerClient slow =
                new HttpSchedulerClient(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow"),
                        null,
                        SHORT)) {
            assertThatThrownBy(slow::adaptiveTarget)
                    .isInstanceOf(SchedulerConnectionException.class)
                    .hasMessageContaining(
                            "timed out after 500 ms waiting for GET http://127.0.0.1:");
            assertThat(slow.healthy()).isFalse();
        }
    }

    @Test
    void healthyMeansHealthAnswersOk() {
        assertThat(client.healthy()).isFalse();
        answers.put("/health", Map.entry(200, "ok"));
        assertThat(client.healthy()).isTrue();
    }

    @Test
    void nothingAnsweringIsAClearErrorFromTheAutomaticChoice() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        assertThatThrownBy(
                        () ->
                                SchedulerClients.connect(
                                        "tcp://127.0.0.1:" + port,
                                        URI.create("http://127.0.0.1:" + port),
                                        Duration.ofMillis(500)))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("answers neither over HTTP")
                .hasMessageContaining("nor over TCP at tcp://127.0.0.1:" + port);
    }

    @Test
    void badAddressesAreRejectedClearly() {
        assertThatThrownBy(() -> new HttpSchedulerClient(URI.create("tcp://127.0.0.1:8786"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must look like http://host:8787");
        assertThatThrownBy(
                        () ->
                                new HttpSchedulerClient(
                                        URI.create("http://127.0.0.1:8787"), "127.0.0.1:x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
