package io.daskkubernetes.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP port for the kubelet and Prometheus: {@code /healthz} (liveness), {@code
 * /readyz} (readiness) and {@code /metrics} (Prometheus text format). JDK's own HTTP server: three
 * tiny endpoints need no framework.
 */
public final class OperatorHttpEndpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorHttpEndpoints.class);

    /** An answer of a probe: healthy or not, and a line saying why. */
    public record Probe(boolean ok, String detail) {}

    private final HttpServer server;
    private final ExecutorService executor;

    private OperatorHttpEndpoints(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code port} (0 for a free one) on every interface, as a pod must for its probes.
     */
    public static OperatorHttpEndpoints start(
            int port, Supplier<Probe> health, Supplier<Probe> readiness, Supplier<String> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the operator cannot listen on port "
                            + port
                            + " for /healthz, /readyz and /metrics (--http-port): "
                            + e.getMessage(),
                    e);
        }
        server.createContext("/healthz", exchange -> probe(exchange, health.get()));
        server.createContext("/readyz", exchange -> probe(exchange, readiness.get()));
        server.createContext(
                "/metrics",
                exchange ->
                        answer(
                                exchange,
                                200,
                                "text/plain; version=0.0.4; charset=utf-8",
                                metrics.get()));
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread thread = new Thread(r, "operator-http");
                            thread.setDaemon(true);
                            return thread;
                        });
        server.setExecutor(executor);
        server.start();
        LOG.info("/healthz, /readyz and /metrics on port {}", server.getAddress().getPort());
        return new OperatorHttpEndpoints(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange exchange, Probe probe) throws IOException {
        answer(
                exchange,
                probe.ok() ? 200 : 503,
                "text/plain; charset=utf-8",
                (probe.ok() ? "ok: " : "not ok: ") + probe.detail() + "\n");
    }

    private static void answer(HttpExchange exchange, int code, String type, String body)
            throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException e) {
            LOG.warn("{} failed", exchange.getRequestURI(), e);
            throw e;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
