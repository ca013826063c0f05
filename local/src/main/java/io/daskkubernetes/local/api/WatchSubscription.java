package io.daskkubernetes.local.api;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's watch, on a WebSocket (fabric8) or a streamed HTTP response ({@link
 * HttpWatchStream}, kubectl): writes the watch events of its {@link WatchRequest} as JSON text, one
 * event per message. Starts when the connection opens, ends when it closes; {@link Watches} feeds
 * it in between.
 */
final class WatchSubscription extends WebSocketListener {

    private static final Logger LOG = LoggerFactory.getLogger(WatchSubscription.class);

    private final WatchRequest request;
    private final Consumer<WatchSubscription> start;
    private final Consumer<WatchSubscription> stop;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile WebSocket socket;

    /**
     * @param start sends what comes before the live events and registers for them
     * @param stop unregisters
     */
    WatchSubscription(
            WatchRequest request,
            Consumer<WatchSubscription> start,
            Consumer<WatchSubscription> stop) {
        this.request = request;
        this.start = start;
        this.stop = stop;
    }

    WatchRequest request() {
        return request;
    }

    /** Sends the change if this watch selects the object before or after it. */
    void send(ResourceChange change) {
        change.eventTypeFor(request).ifPresent(type -> send(type, change.objectJson()));
    }

    void send(String type, String objectJson) {
        write("{\"type\":\"" + type + "\",\"object\":" + objectJson + "}");
    }

    /**
     * Tells the client that the resourceVersion it resumes from is too old, as the API server does,
     * and ends.
     */
    void expire(long oldestResumable) {
        Status gone =
                new StatusBuilder()
                        .withStatus("Failure")
                        .withCode(410)
                        .withReason("Expired")
                        .withMessage(
                                "too old resource version: "
                                        + request.resumeAfter().orElse(0)
                                        + " ("
                                        + oldestResumable
                                        + ")")
                        .build();
        send("ERROR", Serialization.asJson(gone));
        end();
        socket.close(1000, "too old resource version");
    }

    boolean ended() {
        return ended.get();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            stop.accept(this);
        }
    }

    private void write(String event) {
        try {
            socket.send(event);
        } catch (RuntimeException e) {
            // The client went away while the event was on its way; its close callback may not have
            // come yet.
            LOG.debug("watch of {} ended while sending", request.type(), e);
            end();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        socket = webSocket;
        start.accept(this);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        // The client closes: answer its close frame so that the WebSocket ends cleanly.
        webSocket.close(code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        end();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
        end();
        webSocket.close(1000, String.valueOf(error.getMessage()));
    }
}
