package io.daskkubernetes.clustertests;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * The cluster of {@code DASK_KUBERNETES_TEST_KUBECONFIG}, and a namespace of its own for one suite,
 * deleted with everything in it at the end. Nothing here assumes the local runtime: images are
 * pulled, the client runs outside the cluster and reaches schedulers through port-forward.
 *
 * <p>Settings, all from the environment:
 *
 * <ul>
 *   <li>{@code DASK_KUBERNETES_TEST_KUBECONFIG}: the kubeconfig (required; its current context)
 *   <li>{@code DASK_KUBERNETES_TEST_IMAGE}: the Dask image of schedulers and workers; default
 *       {@code ghcr.io/dask/dask:<the local Python's distributed version>}, since the client and
 *       the cluster must run the same Dask
 *   <li>{@code DASK_KUBERNETES_TEST_OPERATOR_IMAGE}: the operator's image, {@code repository:tag};
 *       default the chart's ({@code dask-kubernetes-operator:<appVersion>}), built from
 *       deploy/Dockerfile and loaded into the cluster
 * </ul>
 */
final class RealCluster implements AutoCloseable {

    static final String KUBECONFIG_VARIABLE = "DASK_KUBERNETES_TEST_KUBECONFIG";
    static final Duration POD_START = Duration.ofMinutes(5);

    private final Path kubeconfig;
    private final KubernetesClient client;
    private final String namespace;

    private RealCluster(Path kubeconfig, KubernetesClient client, String namespace) {
        this.kubeconfig = kubeconfig;
        this.client = client;
        this.namespace = namespace;
    }

    /** Connects and makes the suite's namespace, {@code dask-it-<suite>-<random>}. */
    static RealCluster connect(String suite) {
        String file = System.getenv(KUBECONFIG_VARIABLE);
        if (file == null || file.isBlank()) {
            throw new IllegalStateException(
                    KUBECONFIG_VARIABLE
                            + " is not set: these suites need a Kubernetes cluster; set it to a"
                            + " kubeconfig file (see bin/test-real-cluster)");
        }
        Path kubeconfig = Path.of(file);
        KubernetesClient client;
        try {
            client =
                    new KubernetesClientBuilder()
                            .withConfig(
                                    Config.fromKubeconfig(null, Files.readString(kubeconfig), file))
                            .build();
        } catch (IOException e) {
            throw new UncheckedIOException(KUBECONFIG_VARIABLE + "=" + file + ": " + e, e);
        }
        String namespace =
                "dask-it-"
                        + suite.toLowerCase(Locale.ROOT)
                        + "-"
                        + UUID.randomUUID().toString().substring(0, 6);
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(namespace)
                                .addToLabels("dask.org/test-suite", suite)
                                .endMetadata()
                                .build())
                .create();
        return new RealCluster(kubeconfig, client, namespace);
    }

    KubernetesClient client() {
        return client;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    String namespace() {
        return namespace;
    }

    static String daskImage() {
        String image = System.getenv("DASK_KUBERNETES_TEST_IMAGE");
        return image == null || image.isBlank()
                ? "ghcr.io/dask/dask:" + PythonDask.distributedVersion()
                : image;
    }

    /** The operator's image repository and tag; a null tag means the chart's appVersion. */
    static String[] operatorImage() {
        String image = System.getenv("DASK_KUBERNETES_TEST_OPERATOR_IMAGE");
        if (image == null || image.isBlank()) {
            return new String[] {"dask-kubernetes-operator", null};
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/')
                ? new String[] {image.substring(0, colon), image.substring(colon + 1)}
                : new String[] {image, null};
    }

    /** Deletes the namespace and waits until it is gone, with all it held. */
    @Override
    public void close() {
        try {
            client.namespaces().withName(namespace).delete();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> client.namespaces().withName(namespace).get() == null);
        } finally {
            client.close();
        }
    }
}
