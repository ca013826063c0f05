package io.daskkubernetes.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchedulerClient} over the scheduler's HTTP API on its dashboard port, which our
 * scheduler pods switch on ({@code DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES}). Routes used:
 *
 * <ul>
 *   <li>{@code GET /json/identity.json} for {@link #identity()} and {@link #workers()} (route
 *       {@code distributed.http.scheduler.json}); when that route is off, {@code GET
 *       /api/v1/get_workers}, which gives only each worker's address and name;
 *   <li>{@code GET /api/v1/adaptive_target}, {@code POST /api/v1/retire_workers}, {@code GET
 *       /health}.
 * </ul>
 *
 * The HTTP API has no {@code workers_to_close} route, so {@link #workersToClose(int)} asks the same
 * scheduler over TCP when its comm address was given. Its {@code retire_workers} does not close the
 * workers: a worker under a nanny comes back under a new address unless its pod or process is
 * stopped right after.
 */
public final class HttpSchedulerClient implements SchedulerClient {

    private static final Logger log = LoggerFactory.getLogger(HttpSchedulerClient.class);

    // Python's json.dumps writes NaN and Infinity for such floats (worker metrics may hold them).
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final URI dashboard;
    private final String tcpAddress;
    private final SchedulerTimeouts timeouts;
    private final HttpClient http;
    private TcpSchedulerClient tcp;
    private boolean closed;

    /**
     * A client of the HTTP API at {@code dashboard} (e.g. {@code http://host:8787}) with the
     * default 10 s timeouts.
     */
    public HttpSchedulerClient(URI dashboard, String tcpAddress) {
        this(dashboard, tcpAddress, SchedulerTimeouts.defaults());
    }

    /**
     * @param dashboard base URI of the scheduler's HTTP server, e.g. {@code http://host:8787}
     * @param tcpAddress the same scheduler's comm address, for {@link #workersToClose(int)}; may be
     *     {@code null}
     */
    public HttpSchedulerClient(URI dashboard, String tcpAddress, SchedulerTimeouts timeouts) {
        if (dashboard == null
                || !("http".equals(dashboard.getScheme()) || "https".equals(dashboard.getScheme()))
                || dashboard.getHost() == null) {
            throw new IllegalArgumentException(
                    "the scheduler's HTTP address must look like http://host:8787, got "
                            + dashboard);
        }
        if (tcpAddress != null) {
            DaskAddress.parse(tcpAddress);
        }
        String base = dashboard.toString();
        this.dashboard =
                URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.tcpAddress = tcpAddress;
        this.timeouts = timeouts;
        this.http = HttpClient.newBuilder().connectTimeout(timeouts.connect()).build();
    }

    public URI dashboard() {
        return dashboard;
    }

    @Override
    public SchedulerInfo identity() {
        HttpAnswer answer = send(get("/json/identity.json", timeouts.request()));
        if (answer.status() == 404) {
            log.debug(
                    "{} has no /json/identity.json route; listing workers through /api/v1/get_workers",
                    dashboard);
            return new SchedulerInfo(tcpAddress, null, Map.of(), workersFromGetWorkers());
        }
        return IdentityParser.schedulerInfo(
                "GET /json/identity.json", answer.json("GET /json/identity.json"));
    }

    @Override
    public List<DaskWorker> workers() {
        return identity().workers();
    }

    private List<DaskWorker> workersFromGetWorkers() {
        String op = "GET /api/v1/get_workers";
        Map<?, ?> reply =
                DaskReplies.asMap(
                        op,
                        send(get("/api/v1/get_workers", timeouts.request())).json(op),
                        "a map with 'workers'");
        if (!(reply.get("workers") instanceof List<?> entries)) {
            throw DaskReplies.unexpected(op, "a map with a 'workers' list", reply);
        }
        return entries.stream()
                .map(
                        entry -> {
                            if (!(entry instanceof Map<?, ?> worker)
                                    || !(worker.get("address") instanceof String address)) {
                                throw DaskReplies.unexpected(
                                        op, "workers with an 'address'", reply);
                            }
                            return DaskWorker.named(
                                    address,
                                    worker.get("name") == null
                                            ? address
                                            : String.valueOf(worker.get("name")));
                        })
                .toList();
    }

    @Override
    public int adaptiveTarget() {
        String op = "GET /api/v1/adaptive_target";
        Map<?, ?> reply =
                DaskReplies.asMap(
                        op,
                        send(get("/api/v1/adaptive_target", timeouts.request())).json(op),
                        "a map with 'workers'");
        return DaskReplies.asInt(op, reply.get("workers"));
    }

    /** Asked over TCP: the HTTP API has no such route. */
    @Override
    public Map<String, Map<String, String>> packageVersions() {
        return tcpClient("versions").packageVersions();
    }

    /** Asked over TCP: the HTTP route takes no target duration. */
    @Override
    public int adaptiveTarget(Duration targetDuration) {
        return tcpClient("adaptive_target").adaptiveTarget(targetDuration);
    }

    /** Asked over TCP: the HTTP API has no such route. */
    @Override
    public List<String> workersToClose(int n) {
        return tcpClient("workers_to_close").workersToClose(n);
    }

    /**
     * Retires without closing the workers (the HTTP API's way): stop their pods or processes right
     * after.
     */
    @Override
    public Map<String, DaskWorker> retireWorkers(Collection<String> addresses) {
        if (addresses.isEmpty()) {
            // An empty list would make Dask choose workers itself; an empty request must retire
            // nothing.
            return Map.of();
        }
        String op = "POST /api/v1/retire_workers";
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("workers", List.copyOf(addresses)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write worker addresses as JSON: " + addresses, e);
        }
        HttpRequest request =
                HttpRequest.newBuilder(uri("/api/v1/retire_workers"))
                        .timeout(timeouts.retire())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return IdentityParser.workersByAddress(op, send(request).json(op));
    }

    @Override
    public boolean healthy() {
        try {
            HttpAnswer answer = send(get("/health", timeouts.request()));
            if (answer.status() == 200 && "ok".equals(answer.body().trim())) {
                return true;
            }
            log.debug("{}/health answered {} {}", dashboard, answer.status(), answer.body());
            return false;
        } catch (SchedulerException e) {
            log.debug("{} is not healthy: {}", dashboard, e.getMessage());
            return false;
        }
    }

    @Override
    public String transportName() {
        return "http";
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (tcp != null) {
            tcp.close();
            tcp = null;
        }
    }

    private synchronized TcpSchedulerClient tcpClient(String op) {
        if (closed) {
            throw new SchedulerException(
                    "this client of " + dashboard + " is closed; cannot ask '" + op + "'");
        }
        if (tcpAddress == null) {
            throw new SchedulerException(
                    "the scheduler's HTTP API has no '"
                            + op
                            + "' route and no TCP address was given"
                            + " to ask it there: create the client with the scheduler's tcp:// address");
        }
        if (tcp == null) {
            tcp = new TcpSchedulerClient(tcpAddress, timeouts);
        }
        return tcp;
    }

    private HttpRequest get(String path, Duration timeout) {
        return HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build();
    }

    private URI uri(String path) {
        return URI.create(dashboard + path);
    }

    private HttpAnswer send(HttpRequest request) {
        synchronized (this) {
            if (closed) {
                throw new SchedulerException(
                        "this client of "
                                + dashboard
                                + " is closed; cannot send "
                                + request.method()
                                + " "
                                + request.uri().getPath());
            }
        }
        String what = request.method() + " " + request.uri();
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            return new HttpAnswer(what, response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            throw new SchedulerConnectionException(
                    "timed out after "
                            + request.timeout().map(Duration::toMillis).orElse(0L)
                            + " ms waiting for "
                            + what,
                    e);
        } catch (IOException e) {
            throw new SchedulerConnectionException(
                    "cannot reach the scheduler's HTTP API: " + what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchedulerConnectionException("interrupted while waiting for " + what, e);
        }
    }

    /** One HTTP answer; {@link #json} insists on 200 and a JSON body. */
    private record HttpAnswer(String request, int status, String body) {

        Object json(String op) {
            if (status != 200) {
                throw new SchedulerException(
                        request
                                + " answered HTTP "
                                + status
                                + " (expected 200): "
                                + abbreviate(body)
                                + (status == 404
                                        ? " (is the route switched on with DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES?)"
                                        : ""));
            }
            try {
                return JSON.readValue(body, Object.class);
            } catch (JsonProcessingException e) {
                throw new SchedulerException(
                        "unexpected reply to '" + op + "': expected JSON, got " + abbreviate(body),
                        e);
            }
        }

        private static String abbreviate(String text) {
            return text.length() > 200 ? text.substring(0, 200) + "..." : text;
        }
    }

    @Override
    public String toString() {
        return "HttpSchedulerClient[" + dashboard + "]";
    }
}
