package io.daskkubernetes.local.api;

import io.vertx.core.http.HttpServerRequest;

/**
 * Requests that become a bidirectional stream instead of a request and a response: pods/exec,
 * pods/attach and pods/portforward. The HTTP server hands them over before reading anything.
 */
public interface StreamingEndpoint {

    /** Whether this endpoint takes the request. */
    boolean handles(ApiPath path);

    /** Answers the request (upgrades it, or refuses it with a Status); called on an event loop. */
    void handle(HttpServerRequest request, ApiPath path);
}
