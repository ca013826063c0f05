package io.daskkubernetes.cluster;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this process reaches Kubernetes: the in-cluster service account when it runs in a pod, else
 * the kubeconfig (optionally one of its contexts). fabric8's auto-configuration already follows
 * that order and reads the service account's namespace, so this class only chooses the namespace
 * when nobody named one.
 */
public final class KubernetesAccess {

    private static final Logger log = LoggerFactory.getLogger(KubernetesAccess.class);
    static final String DEFAULT_NAMESPACE = "default";

    /**
     * Long enough for a cold JVM's first TLS request on a loaded machine (4 s, then 10 s, were not:
     * seven commands started at once on 2 cores with a load of 20 needed more), far shorter than
     * the client's retries. A server that refuses is reported at once, not after this.
     */
    public static final Duration REACH_TIMEOUT = Duration.ofSeconds(30);

    private KubernetesAccess() {}

    /**
     * A client from the service account or the kubeconfig; {@code context} may be null for the
     * current one.
     */
    public static KubernetesClient connect(String context) {
        if (!runningInCluster() && kubeconfigFiles().stream().noneMatch(Files::isRegularFile)) {
            // fabric8 would fall back to https://kubernetes.default.svc and fail 30 s later with an
            // UnknownHostException that says nothing useful.
            throw new ClusterException(
                    "no Kubernetes is configured: no kubeconfig ("
                            + kubeconfigFiles().stream()
                                    .map(Path::toString)
                                    .collect(Collectors.joining(", "))
                            + ") and no service account (not running in a pod); pass --kubeconfig FILE,"
                            + " set KUBECONFIG, or use --local (or 'dask-kubernetes local') for the"
                            + " local runtime");
        }
        Config config = Config.autoConfigure(context);
        requireContext(config, context, "the kubeconfig");
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        try {
            requireReachable(client, REACH_TIMEOUT);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /**
     * Asks the API server its version, within {@code timeout}, so that a server that cannot be
     * reached is reported at once, by its URL, rather than after the client's retries.
     */
    public static void requireReachable(KubernetesClient client, Duration timeout) {
        String server = client.getConfiguration().getMasterUrl();
        refuseAtOnceIfRefused(client.getConfiguration(), timeout);
        CompletableFuture<Object> version =
                CompletableFuture.supplyAsync(client::getKubernetesVersion);
        try {
            version.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            version.cancel(true);
            throw new ClusterException(
                    "Kubernetes at "
                            + server
                            + " did not answer within "
                            + timeout.toSeconds()
                            + " s; check that it runs and that --kubeconfig/--context name it",
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause.getCause() != null
                    && cause.getMessage() != null
                    && cause.getMessage().startsWith("An error has occurred")) {
                cause = cause.getCause();
            }
            throw new ClusterException(
                    "cannot reach Kubernetes at "
                            + server
                            + ": "
                            + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                            + "; check that it runs and that --kubeconfig/--context name it",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while reaching Kubernetes at " + server, e);
        }
    }

    /**
     * A plain TCP connection to the API server first, so that a server that refuses connections is
     * named at once rather than after the client's retries fill {@code timeout}. Skipped when a
     * proxy is configured: only the proxy may be reachable from here.
     */
    private static void refuseAtOnceIfRefused(Config config, Duration timeout) {
        if (config.getHttpsProxy() != null || config.getHttpProxy() != null) {
            return;
        }
        URI uri = URI.create(config.getMasterUrl());
        if (uri.getHost() == null) {
            return;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) timeout.toMillis());
        } catch (ConnectException refused) {
            throw new ClusterException(
                    "cannot reach Kubernetes at "
                            + config.getMasterUrl()
                            + ": "
                            + refused.getMessage()
                            + "; check that it runs and that --kubeconfig/--context name it",
                    refused);
        } catch (IOException other) {
            // Unknown host, a timeout: the client's own request reports it, in its words.
            log.debug("TCP check of {} inconclusive: {}", config.getMasterUrl(), other.toString());
        }
    }

    /**
     * Where fabric8 and kubectl look for a kubeconfig: $KUBECONFIG's files, else ~/.kube/config.
     */
    private static List<Path> kubeconfigFiles() {
        String property = System.getProperty("kubeconfig");
        String variable = property != null ? property : System.getenv("KUBECONFIG");
        if (variable != null && !variable.isBlank()) {
            return Stream.of(variable.split(File.pathSeparator)).map(Path::of).toList();
        }
        return List.of(Path.of(System.getProperty("user.home"), ".kube", "config"));
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
