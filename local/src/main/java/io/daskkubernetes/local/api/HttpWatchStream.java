package io.daskkubernetes.local.api;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watch over plain HTTP (what kubectl uses: one JSON event per line in a chunked response), fed
 * by the same {@link WatchSubscription} as a WebSocket watch. The events are the same text.
 */
final class HttpWatchStream implements WebSocket {

    private final RecordedRequest request;
    private final HttpServerResponse response;
    private final AtomicBoolean closed = new AtomicBoolean();

    HttpWatchStream(RecordedRequest request, HttpServerResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public RecordedRequest request() {
        return request;
    }

    @Override
    public boolean send(String text) {
        if (closed.get()) {
            return false;
        }
        response.write(text.endsWith("\n") ? text : text + "\n");
        return true;
    }

    @Override
    public boolean send(byte[] bytes) {
        if (closed.get()) {
            return false;
        }
        response.write(Buffer.buffer(bytes));
        return true;
    }

    @Override
    public boolean close(int code, String reason) {
        if (closed.compareAndSet(false, true)) {
            response.end();
            return true;
        }
        return false;
    }

    boolean isClosed() {
        return closed.get();
    }
}
