package io.daskkubernetes.local.api;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * A request the API server refuses before acting on it, answered with a Kubernetes {@code Status}
 * of this code and reason (400 BadRequest, 404 NotFound, 405 MethodNotAllowed, 413
 * RequestEntityTooLarge, 415 UnsupportedMediaType, 422 Invalid...).
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;

    public ApiException(int code, String reason, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NotFound", message);
    }

    public static ApiException invalid(String message) {
        return new ApiException(422, "Invalid", message);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public MockResponse toResponse() {
        return ApiResponses.status(code, reason, getMessage());
    }
}
