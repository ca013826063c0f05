package io.daskkubernetes.local.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reads a request body up to kube-apiserver's limit (3 MiB): a larger body is refused with 413
 * before it is held in memory, so that one client cannot make the runtime grow by the size of
 * whatever it sends.
 */
final class RequestBodyLimit {

    /** kube-apiserver's {@code MaxRequestBodyBytes}. */
    static final long MAX_BODY_BYTES = 3L * 1024 * 1024;

    private RequestBodyLimit() {}

    static void read(
            HttpServerRequest event, long limit, Consumer<Buffer> onBody, Runnable onTooLarge) {
        String declared = event.getHeader("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > limit) {
            onTooLarge.run();
            return;
        }
        Buffer body = Buffer.buffer();
        AtomicBoolean tooLarge = new AtomicBoolean();
        event.handler(
                chunk -> {
                    if (tooLarge.get()) {
                        return;
                    }
                    if (body.length() + (long) chunk.length() > limit) {
                        tooLarge.set(true);
                        onTooLarge.run();
                    } else {
                        body.appendBuffer(chunk);
                    }
                });
        event.endHandler(
                end -> {
                    if (!tooLarge.get()) {
                        onBody.accept(body);
                    }
                });
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(
                413,
                "RequestEntityTooLarge",
                "Request entity too large: limit is "
                        + limit
                        + " bytes (kube-apiserver's limit; store large data outside the API)");
    }
}
