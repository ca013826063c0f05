package io.daskkubernetes.local.api;

/**
 * A {@code pods/log} request that cannot be answered, with the HTTP code and message the API server
 * gives.
 */
public final class LogRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;

    public LogRequestException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
