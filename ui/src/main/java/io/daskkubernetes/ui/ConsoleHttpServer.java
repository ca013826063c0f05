package io.daskkubernetes.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP server (the JDK's): pages, WebJars and a small JSON API, all behind the token.
 * Every answer comes from the shared view; a page view never reaches Kubernetes or a scheduler,
 * except a log, which is streamed from the API server.
 */
final class ConsoleHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOG_TAIL_LINES = 2000;

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ConsoleAccess access;
    private final FleetView view;
    private final FleetInformers fleet;
    private final ScalingActions actions;
    private final KubernetesClient client;
    private final boolean allowScaling;
    private final StaticFiles files = new StaticFiles();

    ConsoleHttpServer(
            InetSocketAddress address,
            ConsoleAccess access,
            FleetView view,
            FleetInformers fleet,
            ScalingActions actions,
            KubernetesClient client,
            boolean allowScaling)
            throws IOException {
        this.access = access;
        this.view = view;
        this.fleet = fleet;
        this.actions = actions;
        this.client = client;
        this.allowScaling = allowScaling;
        this.server = HttpServer.create(address, 64);
        // Followed logs hold a thread each for as long as a page shows them.
        this.handlers =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread thread = new Thread(r, "console-http");
                            thread.setDaemon(true);
                            return thread;
                        });
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) {
        try {
            exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders()
                    .set(
                            "Content-Security-Policy",
                            "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"POST".equals(method)) {
                text(exchange, 405, method + " is not supported; the console answers GET and POST");
                return;
            }
            if ("POST".equals(method) && !allowScaling) {
                text(
                        exchange,
                        403,
                        "this console is read-only; start it with --allow-scaling to scale from it");
                return;
            }
            if (!access.authenticated(exchange)) {
                text(
                        exchange,
                        401,
                        "open the URL that 'dask-kubernetes ui' printed: it carries the console's"
                                + " token");
                return;
            }
            if ("GET".equals(method)
                    && ConsoleAccess.tokenInQuery(exchange.getRequestURI()).isPresent()) {
                // Keep the token out of the address bar and the history: a cookie from now on.
                exchange.getResponseHeaders().add("Set-Cookie", access.sessionCookie());
                exchange.getResponseHeaders()
                        .set("Location", withoutToken(exchange.getRequestURI()));
                exchange.sendResponseHeaders(303, -1);
                return;
            }
            if ("POST".equals(method)) {
                Optional<String> forgery = access.forgeryProblem(exchange);
                if (forgery.isPresent()) {
                    text(
                            exchange,
                            403,
                            "refused as a possible cross-site request: " + forgery.get());
                    return;
                }
            }
            route(exchange);
        } catch (ScalingActions.BadRequest | IllegalArgumentException e) {
            text(exchange, 400, e.getMessage());
        } catch (ScalingActions.Conflict e) {
            text(exchange, 409, e.getMessage());
        } catch (KubernetesClientException e) {
            log.warn("Kubernetes refused a console request: {}", e.getMessage());
            text(exchange, 502, "Kubernetes answered: " + e.getMessage());
        } catch (IOException e) {
            log.debug("Console client went away: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("Console request {} failed", exchange.getRequestURI(), e);
            text(exchange, 500, e.toString());
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI());
        switch (path) {
            case "/", "/index.html" -> file(exchange, files.page("clusters.html"));
            case "/cluster.html" -> file(exchange, files.page("cluster.html"));
            case "/api/session" ->
                    json(
                            exchange,
                            200,
                            allowScaling
                                    ? Map.of(
                                            "allowScaling",
                                            true,
                                            "samplingMillis",
                                            view.samplingMillis(),
                                            "csrf",
                                            access.csrf())
                                    : Map.of(
                                            "allowScaling",
                                            false,
                                            "samplingMillis",
                                            view.samplingMillis()));
            case "/api/clusters" -> json(exchange, 200, view.fleet());
            case "/api/cluster" -> {
                var detail = view.detail(key(query));
                if (detail.isPresent()) {
                    json(exchange, 200, detail.get());
                } else {
                    text(exchange, 404, "no such cluster: " + key(query));
                }
            }
            case "/api/logs" -> logs(exchange, query);
            case "/api/scale" -> {
                JsonNode body = body(exchange);
                actions.scale(key(body), requiredInt(body, "workers"));
                json(exchange, 202, Map.of("accepted", true));
            }
            case "/api/adapt" -> {
                JsonNode body = body(exchange);
                actions.adapt(
                        key(body), requiredInt(body, "minimum"), requiredInt(body, "maximum"));
                json(exchange, 202, Map.of("accepted", true));
            }
            default -> {
                if (path.startsWith("/static/")) {
                    file(exchange, files.page(path.substring("/static/".length())));
                } else if (path.startsWith("/webjars/")) {
                    String rest = path.substring("/webjars/".length());
                    int slash = rest.indexOf('/');
                    file(
                            exchange,
                            slash < 0
                                    ? Optional.empty()
                                    : files.webJar(
                                            rest.substring(0, slash), rest.substring(slash + 1)));
                } else {
                    text(exchange, 404, "no page " + path);
                }
            }
        }
    }

    private void logs(HttpExchange exchange, Map<String, String> query) throws IOException {
        String namespace = required(query, "namespace");
        String pod = required(query, "pod");
        if (fleet.daskPod(namespace, pod).isEmpty()) {
            text(exchange, 404, "no pod " + namespace + "/" + pod + " of a Dask cluster");
            return;
        }
        var resource = client.pods().inNamespace(namespace).withName(pod);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (!"true".equals(query.get("follow"))) {
            byte[] text =
                    resource.tailingLines(LOG_TAIL_LINES).getLog().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, text.length == 0 ? -1 : text.length);
            exchange.getResponseBody().write(text);
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        try (LogWatch watch = resource.tailingLines(LOG_TAIL_LINES).watchLog();
                InputStream in = watch.getOutput()) {
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                // A write that fails means the page went away: the watch is closed with it.
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private static ClusterKey key(Map<String, String> query) {
        return new ClusterKey(
                required(query, "kind"), required(query, "namespace"), required(query, "name"));
    }

    private static ClusterKey key(JsonNode body) {
        return new ClusterKey(
                body.path("kind").asText(null),
                body.path("namespace").asText(null),
                body.path("name").asText(null));
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode node = JSON.readTree(in.readNBytes(64 * 1024));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("the request body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static int requiredInt(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + ": a whole number is required");
        }
        return value.intValue();
    }

    private static String required(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("query parameter " + name + " is required");
        }
        return value;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new HashMap<>();
        if (uri.getRawQuery() == null) {
            return values;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(
                        URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String withoutToken(URI uri) {
        String query = uri.getRawQuery();
        StringBuilder kept = new StringBuilder();
        for (String pair : query.split("&")) {
            if (!pair.startsWith("token=")) {
                kept.append(kept.length() == 0 ? "?" : "&").append(pair);
            }
        }
        return uri.getRawPath() + kept;
    }

    private static void file(HttpExchange exchange, Optional<StaticFiles.File> file)
            throws IOException {
        if (file.isEmpty()) {
            text(exchange, 404, "no such file");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", file.get().type());
        exchange.sendResponseHeaders(200, file.get().content().length);
        exchange.getResponseBody().write(file.get().content());
    }

    private static void json(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] body = JSON.writeValueAsBytes(value);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void text(HttpExchange exchange, int status, String message) {
        try {
            byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            log.debug("Could not answer {} {}: {}", status, message, e.toString());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
