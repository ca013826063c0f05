package io.daskkubernetes.local.network;

/** A pod that cannot get its network; {@link #reason()} goes to the pod's status. */
public final class SandboxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public SandboxException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SandboxException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
