package io.daskkubernetes.cluster;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;

/**
 * How this process reaches Kubernetes: the in-cluster service account when it runs in a pod, else
 * the kubeconfig (optionally one of its contexts). fabric8's auto-configuration already follows
 * that order and reads the service account's namespace, so this class only chooses the namespace
 * when nobody named one.
 */
public final class KubernetesAccess {

    static final String DEFAULT_NAMESPACE = "default";

    private KubernetesAccess() {}

    /**
     * A client from the service account or the kubeconfig; {@code context} may be null for the
     * current one.
     */
    public static KubernetesClient connect(String context) {
        Config config = Config.autoConfigure(context);
        requireContext(config, context, "the kubeconfig");
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Refuses a context the kubeconfig does not have, as kubectl does: fabric8 would silently use
     * the current one, and a typo would deploy to the wrong Kubernetes.
     *
     * @param where the kubeconfig's name, for the message
     */
    public static void requireContext(Config config, String context, String where) {
        if (context == null) {
            return;
        }
        List<String> names =
                config.getContexts() == null
                        ? List.of()
                        : config.getContexts().stream().map(NamedContext::getName).toList();
        if (!names.contains(context)) {
            throw new ClusterException(
                    "context \""
                            + context
                            + "\" is not in "
                            + where
                            + (names.isEmpty()
                                    ? ", which has no contexts"
                                    : "; its contexts are " + String.join(", ", names))
                            + "; pick one with --context, or see 'kubectl config get-contexts'");
        }
    }

    /**
     * The namespace to use: the one asked for, else the service account's or the kubeconfig
     * context's, else default.
     */
    public static String namespace(String requested, KubernetesClient client) {
        if (requested != null && !requested.isBlank()) {
            return requested;
        }
        String configured = client.getNamespace();
        return configured == null || configured.isBlank() ? DEFAULT_NAMESPACE : configured;
    }

    /** Whether this JVM runs inside a Kubernetes pod, where in-cluster DNS names resolve. */
    static boolean runningInCluster() {
        return System.getenv("KUBERNETES_SERVICE_HOST") != null;
    }
}
