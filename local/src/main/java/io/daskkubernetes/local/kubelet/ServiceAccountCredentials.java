package io.daskkubernetes.local.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a pod gets to talk to the API server as its service account, as far as a kubelet without
 * container filesystems can give it.
 *
 * <ul>
 *   <li>Every container: the {@code KUBERNETES_SERVICE_*} and {@code KUBERNETES_PORT*} variables of
 *       the {@code kubernetes} Service, as the kubelet sets them.
 *   <li>Unless {@code automountServiceAccountToken} is false: {@code token}, {@code ca.crt} and
 *       {@code namespace} in a directory of the pod that stands for {@code
 *       /var/run/secrets/kubernetes.io/serviceaccount} (that path is replaced by the directory in
 *       the command, args and env, as for Secret volumes); and, since a program cannot find that
 *       directory at its fixed path, a kubeconfig beside them in {@code KUBECONFIG}, which kubectl,
 *       fabric8 and the Python client read before they look for in-cluster files. A program that
 *       only ever reads the fixed path (Python's {@code load_incluster_config()}) will not find it.
 * </ul>
 */
final class ServiceAccountCredentials {

    static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

    private final ApiAccess access;

    ServiceAccountCredentials(ApiAccess access) {
        this.access = access;
    }

    /** The variables of the {@code kubernetes} Service, for every container. */
    Map<String, String> serviceVariables() {
        String host = access.serviceHost();
        String port = Integer.toString(access.servicePort());
        String address = "tcp://" + host + ":" + port;
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("KUBERNETES_SERVICE_HOST", host);
        variables.put("KUBERNETES_SERVICE_PORT", port);
        variables.put("KUBERNETES_SERVICE_PORT_HTTPS", port);
        variables.put("KUBERNETES_PORT", address);
        variables.put("KUBERNETES_PORT_" + port + "_TCP", address);
        variables.put("KUBERNETES_PORT_" + port + "_TCP_PROTO", "tcp");
        variables.put("KUBERNETES_PORT_" + port + "_TCP_PORT", port);
        variables.put("KUBERNETES_PORT_" + port + "_TCP_ADDR", host);
        return variables;
    }

    /** Whether the pod gets its service account's token. */
    static boolean mounts(Pod pod) {
        return !Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken());
    }

    /** The service account the pod runs as ("default" when it names none). */
    static String serviceAccountOf(Pod pod) {
        String name = pod.getSpec().getServiceAccountName();
        if (name == null || name.isEmpty()) {
            name = pod.getSpec().getServiceAccount();
        }
        return name == null || name.isEmpty() ? "default" : name;
    }

    /**
     * Writes the pod's service account files under {@code podDirectory} and returns that directory.
     */
    Path write(Pod pod, Path podDirectory) {
        String namespace = pod.getMetadata().getNamespace();
        String token = access.tokens().apply(namespace, serviceAccountOf(pod));
        Path directory = podDirectory.resolve("serviceaccount");
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("token"), token);
            Files.writeString(directory.resolve("ca.crt"), access.certificateAuthorityPem());
            Files.writeString(directory.resolve("namespace"), namespace);
            Files.writeString(
                    directory.resolve("kubeconfig"), kubeconfig(namespace, directory, token));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the service account files of pod "
                            + namespace
                            + "/"
                            + pod.getMetadata().getName(),
                    e);
        }
        return directory;
    }

    private String kubeconfig(String namespace, Path directory, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: in-cluster
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: service-account
                  user:
                    token: %s
                contexts:
                - name: in-cluster
                  context:
                    cluster: in-cluster
                    user: service-account
                    namespace: %s
                current-context: in-cluster
                """
                .formatted(access.serverUrl(), directory.resolve("ca.crt"), token, namespace);
    }
}
