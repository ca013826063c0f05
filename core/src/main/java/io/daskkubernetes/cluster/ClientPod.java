package io.daskkubernetes.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod this client runs in, if any: named by {@code POD_NAME} (and {@code POD_NAMESPACE}) from
 * the downward API, or, inside a cluster ({@code KUBERNETES_SERVICE_HOST} set and a service account
 * mounted), by {@code HOSTNAME}, which Kubernetes sets to the pod's name.
 */
final class ClientPod {

    private static final Logger log = LoggerFactory.getLogger(ClientPod.class);
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private ClientPod() {}

    /** The client's pod as the API server has it, or empty when not in a pod or not readable. */
    static Optional<Pod> find(
            KubernetesClient client, Map<String, String> environment, Path serviceAccount) {
        String name = environment.get("POD_NAME");
        String namespace = environment.get("POD_NAMESPACE");
        if (name == null || name.isBlank()) {
            boolean inCluster =
                    environment.get("KUBERNETES_SERVICE_HOST") != null
                            && Files.isRegularFile(serviceAccount.resolve("namespace"));
            name = inCluster ? environment.get("HOSTNAME") : null;
        }
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        if (namespace == null || namespace.isBlank()) {
            namespace = serviceAccountNamespace(serviceAccount).orElse(client.getNamespace());
        }
        try {
            Pod pod = client.pods().inNamespace(namespace).withName(name).get();
            if (pod == null) {
                log.info(
                        "This client is not in pod {}/{} (no such pod); the cluster is not tied"
                                + " to a pod",
                        namespace,
                        name);
            }
            return Optional.ofNullable(pod);
        } catch (KubernetesClientException e) {
            log.warn(
                    "Could not read this client's pod {}/{} ({}); the cluster is not tied to it,"
                            + " only to the lease",
                    namespace,
                    name,
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> serviceAccountNamespace(Path serviceAccount) {
        Path file = serviceAccount.resolve("namespace");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException e) {
            log.warn("Could not read {}: {}", file, e.toString());
            return Optional.empty();
        }
    }
}
