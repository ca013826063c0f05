package io.daskkubernetes.local.api;

/**
 * An object the API server refuses (HTTP 422 Invalid), with the field and the fix in the message,
 * as {@code kubectl} would show it: {@code Pod "x" is invalid: spec.containers: Required value:
 * ...}.
 */
public final class AdmissionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AdmissionException(String message) {
        super(message);
    }
}
