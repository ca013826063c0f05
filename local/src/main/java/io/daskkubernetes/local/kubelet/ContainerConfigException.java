package io.daskkubernetes.local.kubelet;

/**
 * A container that cannot be started as specified; the container waits with reason {@code
 * CreateContainerConfigError} (bad env references) or fails with {@code StartError} (no program),
 * and the message says what to fix.
 */
public final class ContainerConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public ContainerConfigException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
