package io.daskkubernetes.local.api;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the API server: a Vert.x server on a loopback port that hands each request to
 * the {@link ApiDispatcher} off the event loop, upgrades watches to WebSockets (fabric8) or streams
 * them as chunked JSON lines (kubectl), and streams followed pod logs. fabric8's mock web server
 * does the first part only, hence this class.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final long LOG_POLL_MILLIS = 100;
    private static final java.util.Set<io.vertx.core.http.HttpMethod> SERVED_METHODS =
            java.util.Set.of(
                    io.vertx.core.http.HttpMethod.GET,
                    io.vertx.core.http.HttpMethod.POST,
                    io.vertx.core.http.HttpMethod.PUT,
                    io.vertx.core.http.HttpMethod.PATCH,
                    io.vertx.core.http.HttpMethod.DELETE);

    private final ApiDispatcher dispatcher;
    private final PodLogEndpoint podLogs;
    private final Vertx vertx;
    private final HttpServer server;
    private volatile StreamingEndpoint streams;
    private volatile java.util.function.Consumer<ApiRequest> requestObserver = request -> {};

    private final ApiCredentials credentials;

    private ApiServer(
            ApiDispatcher dispatcher,
            PodLogEndpoint podLogs,
            Vertx vertx,
            HttpServer server,
            ApiCredentials credentials) {
        this.credentials = credentials;
        this.dispatcher = dispatcher;
        this.podLogs = podLogs;
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * Starts listening on {@code host} at a free port, with TLS and for requests that carry the
     * bearer token of {@code credentials} only.
     */
    public static ApiServer start(
            ApiDispatcher dispatcher,
            PodLogEndpoint podLogs,
            String host,
            ApiCredentials credentials) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(8));
        HttpServer server = vertx.createHttpServer(options(host, 0, credentials));
        ApiServer apiServer = new ApiServer(dispatcher, podLogs, vertx, server, credentials);
        server.requestHandler(apiServer::handle);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vertx.close();
            throw new IllegalStateException("interrupted while starting the API server", e);
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            throw new IllegalStateException("the API server could not listen on " + host, e);
        }
        return apiServer;
    }

    /**
     * Also serves at {@code host}, on the same port: the node's address, where pods reach the API
     * server (as the {@code kubernetes} Service's endpoint).
     */
    public void alsoListenOn(String host) {
        HttpServer another = vertx.createHttpServer(options(host, port(), credentials));
        another.requestHandler(this::handle);
        try {
            another.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listening on " + host, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "the API server could not also listen on " + host + ":" + port(), e);
        }
    }

    private static HttpServerOptions options(String host, int port, ApiCredentials credentials) {
        return new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setIdleTimeout(0)
                .setDecompressionSupported(true)
                // exec (kubectl >= 1.30, fabric8) and port-forward over WebSockets; kubectl's
                // port-forward tunnels SPDY through one.
                .setWebSocketSubProtocols(
                        java.util.List.of(
                                "v5.channel.k8s.io",
                                "v4.channel.k8s.io",
                                "SPDY/3.1+portforward.k8s.io"))
                .setMaxWebSocketFrameSize(1 << 20)
                .setMaxWebSocketMessageSize(16 << 20)
                .setSsl(true)
                .setKeyCertOptions(credentials.serverKeyCertOptions());
    }

    public int port() {
        return server.actualPort();
    }

    /**
     * Who is told of every authenticated request (an access log for tests), before it is served.
     */
    void observeRequestsWith(java.util.function.Consumer<ApiRequest> observer) {
        this.requestObserver = observer;
    }

    /** Where exec, attach and port-forward requests go. */
    void serveStreamsWith(StreamingEndpoint endpoint) {
        this.streams = endpoint;
    }

    private void handle(HttpServerRequest event) {
        if (!credentials.accepts(event.getHeader("Authorization"))) {
            // What kube-apiserver answers without valid credentials; the body is never read.
            send(event, ApiResponses.status(401, "Unauthorized", "Unauthorized"));
            return;
        }
        requestObserver.accept(
                new ApiRequest(
                        event.method().name(),
                        event.uri(),
                        event.getHeader("User-Agent"),
                        isWebSocketUpgrade(event)));
        if (!SERVED_METHODS.contains(event.method())) {
            send(event, ServedPaths.methodNotAllowed(event.method().name()));
            return;
        }
        StreamingEndpoint streaming = streams;
        if (streaming != null) {
            ApiPath path = ApiPath.parse(event.uri());
            if (streaming.handles(path)) {
                streaming.handle(event, path);
                return;
            }
        }
        if (isWebSocketUpgrade(event)) {
            // The upgrade must happen before the request is read; watches carry no body.
            RecordedRequest request = toRecordedRequest(event, null);
            MockResponse response = dispatcher.dispatch(request);
            if (response.getWebSocketListener() != null) {
                event.toWebSocket()
                        .onSuccess(new ServerWebSocketHandler(request, response))
                        .onFailure(
                                err ->
                                        LOG.debug(
                                                "WebSocket upgrade of {} failed",
                                                event.uri(),
                                                err));
            } else {
                send(event, response);
            }
            return;
        }
        RequestBodyLimit.read(
                event,
                RequestBodyLimit.MAX_BODY_BYTES,
                body -> {
                    RecordedRequest request = toRecordedRequest(event, body);
                    ApiPath path = ApiPath.parse(event.uri());
                    if (path.isWatch() && request.method() == HttpMethod.GET) {
                        streamWatch(event, request, path);
                    } else if (PodLogRequest.matches(path)
                            && QueryBoolean.isTrue(path.query().get("follow"))) {
                        vertx.<Void>executeBlocking(
                                () -> {
                                    followLog(event, PodLogRequest.from(path));
                                    return null;
                                },
                                false);
                    } else {
                        vertx.executeBlocking(() -> dispatcher.dispatch(request), false)
                                .onSuccess(response -> send(event, response))
                                .onFailure(
                                        err -> {
                                            LOG.warn(
                                                    "{} {} failed",
                                                    event.method(),
                                                    event.uri(),
                                                    err);
                                            event.response().setStatusCode(500).end();
                                        });
                    }
                },
                () ->
                        refuseBody(
                                event,
                                RequestBodyLimit.tooLarge(RequestBodyLimit.MAX_BODY_BYTES)
                                        .toResponse()));
    }

    /**
     * Answers before the body is read and asks the client to close the connection; what it still
     * sends is dropped, not held. (Closing from our side at once would cut the answer off.)
     */
    private static void refuseBody(HttpServerRequest event, MockResponse response) {
        event.response().putHeader("Connection", "close");
        send(event, response);
    }

    private void streamWatch(HttpServerRequest event, RecordedRequest request, ApiPath path) {
        MockResponse response = dispatcher.dispatch(request);
        WebSocketListener listener = response.getWebSocketListener();
        if (listener == null) {
            send(event, response);
            return;
        }
        HttpServerResponse http = event.response();
        http.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
        // Send the headers at once: a watch from a resourceVersion may have no event for a long
        // time, and clients (kubectl wait, rollout status) wait for the headers before anything.
        http.write(Buffer.buffer());
        HttpWatchStream stream = new HttpWatchStream(request, http);
        http.closeHandler(v -> listener.onClosed(stream, 1000, "client went away"));
        listener.onOpen(stream, response);
        String timeout = path.query().get("timeoutSeconds");
        if (timeout != null && timeout.matches("\\d+") && Long.parseLong(timeout) > 0) {
            vertx.setTimer(
                    TimeUnit.SECONDS.toMillis(Long.parseLong(timeout)),
                    id -> {
                        if (stream.close(1000, "timeout")) {
                            listener.onClosed(stream, 1000, "timeout");
                        }
                    });
        }
    }

    /** Streams a log file as it grows until its container stops writing or the client goes away. */
    private void followLog(HttpServerRequest event, PodLogRequest request) {
        HttpServerResponse http = event.response();
        ContainerLogSource.ContainerLog log;
        try {
            log = podLogs.locate(request);
        } catch (LogRequestException e) {
            send(
                    event,
                    ApiResponses.status(
                            e.code(), e.code() == 404 ? "NotFound" : "BadRequest", e.getMessage()));
            return;
        }
        http.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/plain");
        long[] offset = {request.startOffset(log.file())};
        AtomicBoolean clientGone = new AtomicBoolean();
        http.closeHandler(v -> clientGone.set(true));
        // Flush the headers at once so that clients see the stream open even before the first line.
        http.write(Buffer.buffer());
        vertx.setPeriodic(
                0,
                LOG_POLL_MILLIS,
                timer ->
                        vertx.<Boolean>executeBlocking(
                                        () -> {
                                            if (clientGone.get()) {
                                                return true;
                                            }
                                            // Read the writer's state before the bytes, so that the
                                            // last bytes are not missed at the end.
                                            boolean writing = log.stillWriting().getAsBoolean();
                                            offset[0] = copyNewBytes(log, offset[0], http);
                                            return !writing;
                                        },
                                        true)
                                .onSuccess(
                                        done -> {
                                            if (done) {
                                                vertx.cancelTimer(timer);
                                                if (!clientGone.get()) {
                                                    http.end();
                                                }
                                            }
                                        })
                                .onFailure(
                                        err -> {
                                            vertx.cancelTimer(timer);
                                            LOG.debug("following {} stopped", log.file(), err);
                                            if (!clientGone.get()) {
                                                http.end();
                                            }
                                        }));
    }

    private static long copyNewBytes(
            ContainerLogSource.ContainerLog log, long offset, HttpServerResponse http)
            throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.file().toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return offset;
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
            file.seek(offset);
            file.readFully(bytes);
            http.write(Buffer.buffer(bytes));
            return offset + bytes.length;
        }
    }

    private static void send(HttpServerRequest event, MockResponse response) {
        HttpServerResponse http = event.response();
        http.setStatusCode(response.code());
        response.getHeaders()
                .toMultimap()
                .forEach((key, values) -> http.headers().add(key, values));
        if (!http.headers().contains("Content-Type")) {
            http.putHeader("Content-Type", "application/json");
        }
        if (response.getBody() != null && response.getBody().size() > 0) {
            http.end(Buffer.buffer(response.getBody().getBytes()));
        } else {
            http.end();
        }
    }

    private static RecordedRequest toRecordedRequest(HttpServerRequest event, Buffer body) {
        return new RecordedRequest(
                event.version().alpnName().toUpperCase(Locale.ROOT),
                HttpMethod.fromVertx(event.method()),
                event.uri(),
                Headers.builder().addAll(event.headers()).build(),
                new io.fabric8.mockwebserver.http.Buffer(body == null ? null : body.getBytes()));
    }

    private static boolean isWebSocketUpgrade(HttpServerRequest event) {
        String upgrade = event.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the API server did not stop cleanly", e);
        }
    }
}
