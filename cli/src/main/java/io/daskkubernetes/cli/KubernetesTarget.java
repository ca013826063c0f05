package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.KubernetesAccess;
import io.daskkubernetes.local.LocalKubernetes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The Kubernetes a command talks to: an embedded local runtime with {@code --local}, else the
 * kubeconfig (or the in-cluster service account). Closing it stops the runtime it started.
 */
final class KubernetesTarget implements AutoCloseable {

    private final KubernetesClient client;
    private final LocalKubernetes localRuntime;
    private final String namespace;

    private KubernetesTarget(
            KubernetesClient client, LocalKubernetes localRuntime, String namespace) {
        this.client = client;
        this.localRuntime = localRuntime;
        this.namespace = namespace;
    }

    static KubernetesTarget open(DaskKubernetesCommand options) {
        if (options.local) {
            // The command closes the runtime itself, after the cluster on it (see
            // ShutdownSequence).
            LocalKubernetes runtime = LocalKubernetes.builder().closeAtExit(false).start();
            String namespace = options.namespace == null ? "default" : options.namespace;
            return new KubernetesTarget(runtime.client(), runtime, namespace);
        }
        KubernetesClient client;
        if (options.kubeconfig != null) {
            if (!Files.isReadable(options.kubeconfig)) {
                throw new IllegalArgumentException(
                        "--kubeconfig " + options.kubeconfig + ": no such readable file");
            }
            try {
                Config config =
                        Config.fromKubeconfig(
                                options.context,
                                Files.readString(options.kubeconfig),
                                options.kubeconfig.toString());
                KubernetesAccess.requireContext(
                        config, options.context, options.kubeconfig.toString());
                client = new KubernetesClientBuilder().withConfig(config).build();
                try {
                    KubernetesAccess.requireReachable(client, KubernetesAccess.REACH_TIMEOUT);
                } catch (RuntimeException unreachable) {
                    client.close();
                    throw unreachable;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "--kubeconfig " + options.kubeconfig + ": " + e.getMessage(), e);
            }
        } else {
            client = KubernetesAccess.connect(options.context);
        }
        return new KubernetesTarget(
                client, null, KubernetesAccess.namespace(options.namespace, client));
    }

    KubernetesClient client() {
        return client;
    }

    String namespace() {
        return namespace;
    }

    boolean isLocal() {
        return localRuntime != null;
    }

    @Override
    public void close() {
        if (localRuntime != null) {
            localRuntime.close();
        } else {
            client.close();
        }
    }
}
