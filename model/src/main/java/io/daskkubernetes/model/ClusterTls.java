package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What TLS changes in a cluster (dask-gateway's model): a Secret with the cluster's CA and
 * certificates, owned by the cluster's owner; every Dask pod mounts it and is started with Dask's
 * {@code --tls-ca-file}, {@code --tls-cert} and {@code --tls-key} options (and the same files in
 * Dask's configuration variables, for containers whose command we cannot edit); the scheduler's
 * address becomes {@code tls://}. Dask's TLS is mutual: a client without a certificate of this CA
 * is refused.
 */
public final class ClusterTls {

    /** The volume's name in every pod and where it is mounted. */
    public static final String VOLUME = "dask-tls";

    public static final String MOUNT_PATH = "/etc/dask-tls";

    /** The owner's data key that says the cluster uses TLS, with the Secret's name as value. */
    static final String OWNER_KEY = "tls-secret";

    static final String SCHEDULER = "scheduler";
    static final String WORKER = "worker";

    static final String CA_FILE_ENV = "DASK_DISTRIBUTED__COMM__TLS__CA_FILE";
    static final String REQUIRE_ENCRYPTION_ENV = "DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION";
    static final String DEFAULT_SCHEME_ENV = "DASK_DISTRIBUTED__COMM__DEFAULT_SCHEME";

    private ClusterTls() {}

    /** {@code <cluster>-tls}. */
    public static String secretName(String clusterName) {
        return clusterName + "-tls";
    }

    /** The path of one of the Secret's files inside a pod. */
    public static String path(String file) {
        return MOUNT_PATH + "/" + file;
    }

    /** {@code tcp://host:port} as {@code tls://host:port}; other schemes are left alone. */
    public static String tlsAddress(String address) {
        return address.startsWith("tcp://") ? "tls://" + address.substring(6) : address;
    }

    static Secret secret(
            String clusterName,
            String namespace,
            Map<String, String> labels,
            List<OwnerReference> owners,
            TlsCredentials credentials) {
        Map<String, String> data = new LinkedHashMap<>();
        credentials
                .files()
                .forEach(
                        (file, pem) ->
                                data.put(
                                        file,
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        pem.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(secretName(clusterName))
                .withNamespace(namespace)
                .withLabels(labels)
                .withOwnerReferences(owners)
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /**
     * The words to add to a {@code dask-scheduler} or {@code dask-worker} command line for a role
     * ({@code scheduler} or {@code worker}).
     */
    static List<String> options(String role) {
        return List.of(
                "--tls-ca-file",
                path(TlsCredentials.CA_FILE),
                "--tls-cert",
                path(role + ".crt"),
                "--tls-key",
                path(role + ".key"));
    }

    /**
     * Mounts the CA and {@code role}'s certificate and key from the Secret into every container of
     * the pod and sets Dask's TLS configuration variables for the role.
     */
    static void mountAndConfigure(Pod pod, String clusterName, String role) {
        List<Volume> volumes =
                pod.getSpec().getVolumes() == null
                        ? new ArrayList<>()
                        : new ArrayList<>(pod.getSpec().getVolumes());
        volumes.removeIf(volume -> VOLUME.equals(volume.getName()));
        volumes.add(
                new VolumeBuilder()
                        .withName(VOLUME)
                        .withNewSecret()
                        .withSecretName(secretName(clusterName))
                        // Only this role's files: a worker pod never holds the scheduler's key,
                        // and no pod holds the client's.
                        .addNewItem()
                        .withKey(TlsCredentials.CA_FILE)
                        .withPath(TlsCredentials.CA_FILE)
                        .endItem()
                        .addNewItem()
                        .withKey(role + ".crt")
                        .withPath(role + ".crt")
                        .endItem()
                        .addNewItem()
                        .withKey(role + ".key")
                        .withPath(role + ".key")
                        .endItem()
                        .endSecret()
                        .build());
        pod.getSpec().setVolumes(volumes);
        String roleKey = role.toUpperCase(java.util.Locale.ROOT);
        for (Container container : pod.getSpec().getContainers()) {
            List<VolumeMount> mounts =
                    container.getVolumeMounts() == null
                            ? new ArrayList<>()
                            : new ArrayList<>(container.getVolumeMounts());
            mounts.removeIf(
                    mount ->
                            VOLUME.equals(mount.getName())
                                    || MOUNT_PATH.equals(mount.getMountPath()));
            mounts.add(
                    new VolumeMountBuilder()
                            .withName(VOLUME)
                            .withMountPath(MOUNT_PATH)
                            .withReadOnly(true)
                            .build());
            container.setVolumeMounts(mounts);
            PodDecoration.setEnv(container, CA_FILE_ENV, path(TlsCredentials.CA_FILE));
            PodDecoration.setEnv(
                    container,
                    "DASK_DISTRIBUTED__COMM__TLS__" + roleKey + "__CERT",
                    path(role + ".crt"));
            PodDecoration.setEnv(
                    container,
                    "DASK_DISTRIBUTED__COMM__TLS__" + roleKey + "__KEY",
                    path(role + ".key"));
            PodDecoration.setEnv(container, REQUIRE_ENCRYPTION_ENV, "True");
            PodDecoration.setEnv(container, DEFAULT_SCHEME_ENV, "tls");
        }
    }
}
