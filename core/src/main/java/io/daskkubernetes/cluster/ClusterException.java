package io.daskkubernetes.cluster;

/**
 * A cluster could not be created, reached or changed; the message says why and, where known, the
 * fix.
 */
public class ClusterException extends RuntimeException {

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
