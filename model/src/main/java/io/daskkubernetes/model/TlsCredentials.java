package io.daskkubernetes.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The PEM files of a cluster with TLS: one CA, and a certificate and key for each of Dask's roles
 * (scheduler, worker, client), all signed by that CA. Made by the client before the cluster starts
 * and kept in the cluster's Secret; a value, with no I/O behind it.
 */
public record TlsCredentials(
        String caCertificate,
        String schedulerCertificate,
        String schedulerKey,
        String workerCertificate,
        String workerKey,
        String clientCertificate,
        String clientKey) {

    public static final String CA_FILE = "ca.crt";
    public static final String SCHEDULER_CERT_FILE = "scheduler.crt";
    public static final String SCHEDULER_KEY_FILE = "scheduler.key";
    public static final String WORKER_CERT_FILE = "worker.crt";
    public static final String WORKER_KEY_FILE = "worker.key";
    public static final String CLIENT_CERT_FILE = "client.crt";
    public static final String CLIENT_KEY_FILE = "client.key";

    public TlsCredentials {
        Objects.requireNonNull(caCertificate, CA_FILE);
        Objects.requireNonNull(schedulerCertificate, SCHEDULER_CERT_FILE);
        Objects.requireNonNull(schedulerKey, SCHEDULER_KEY_FILE);
        Objects.requireNonNull(workerCertificate, WORKER_CERT_FILE);
        Objects.requireNonNull(workerKey, WORKER_KEY_FILE);
        Objects.requireNonNull(clientCertificate, CLIENT_CERT_FILE);
        Objects.requireNonNull(clientKey, CLIENT_KEY_FILE);
    }

    /** File name to PEM text, as the Secret holds them and as pods see them in the mount. */
    public Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(CA_FILE, caCertificate);
        files.put(SCHEDULER_CERT_FILE, schedulerCertificate);
        files.put(SCHEDULER_KEY_FILE, schedulerKey);
        files.put(WORKER_CERT_FILE, workerCertificate);
        files.put(WORKER_KEY_FILE, workerKey);
        files.put(CLIENT_CERT_FILE, clientCertificate);
        files.put(CLIENT_KEY_FILE, clientKey);
        return files;
    }

    /**
     * The credentials in a cluster's Secret (its data already decoded); {@code source} names the
     * Secret in the error when a file is missing.
     */
    public static TlsCredentials fromFiles(Map<String, String> files, String source) {
        return new TlsCredentials(
                required(files, CA_FILE, source),
                required(files, SCHEDULER_CERT_FILE, source),
                required(files, SCHEDULER_KEY_FILE, source),
                required(files, WORKER_CERT_FILE, source),
                required(files, WORKER_KEY_FILE, source),
                required(files, CLIENT_CERT_FILE, source),
                required(files, CLIENT_KEY_FILE, source));
    }

    private static String required(Map<String, String> files, String name, String source) {
        String value = files.get(name);
        if (value == null || value.isBlank()) {
            throw new SpecException(
                    source,
                    "data." + name,
                    "is missing",
                    "the cluster's TLS Secret was changed or not made by dask-kubernetes;"
                            + " recreate the cluster");
        }
        return value;
    }

    @Override
    public String toString() {
        // Never print keys: records would otherwise put them in logs and exception messages.
        return "TlsCredentials[ca, scheduler, worker and client certificates and keys]";
    }
}
