package io.daskkubernetes.clustertests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The operator on a real cluster, installed by its Helm chart (namespaced RBAC, watching the
 * suite's namespace): upstream's simplecluster.yaml (with the test's Dask image) becomes Running, a
 * client outside the cluster computes the seed's mean through a port-forward to the scheduler
 * Service, a scale of the DaskCluster reaches its pods, and deleting it and uninstalling the chart
 * leave nothing of either.
 */
class ChartOperatorIT {

    private static final Path CHART = Path.of("..", "deploy", "helm", "dask-kubernetes-operator");
    private static final Path SIMPLE_CLUSTER =
            Path.of("..", "examples", "operator", "simplecluster.yaml");
    private static final String RELEASE = "dask-operator";

    @Test
    void theChartsOperatorRunsUpstreamsSimpleClusterScalesItAndCleansUp() throws Exception {
        try (RealCluster kubernetes = RealCluster.connect("operator")) {
            KubernetesClient client = kubernetes.client();
            String namespace = kubernetes.namespace();
            install(kubernetes);
            try {
                await().atMost(RealCluster.POD_START)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> operatorReady(client, namespace));

                DaskCluster simple = simpleCluster(RealCluster.daskImage());
                client.resource(simple).inNamespace(namespace).create();
                await().atMost(RealCluster.POD_START)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> "Running".equals(phase(client, namespace)));

                try (LocalPortForward forward =
                        client.services()
                                .inNamespace(namespace)
                                .withName("simple-scheduler")
                                .portForward(8786)) {
                    String address = "tcp://127.0.0.1:" + forward.getLocalPort();
                    System.out.printf("simplecluster's scheduler through %s%n", address);
                    assertThat(PythonDask.seedMean(address, 2)).isEqualTo("1.0");
                }

                client.resources(DaskCluster.class)
                        .inNamespace(namespace)
                        .withName("simple")
                        .edit(
                                cluster -> {
                                    cluster.getSpec().getWorker().setReplicas(3);
                                    return cluster;
                                });
                await().atMost(RealCluster.POD_START)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> runningWorkers(client, namespace) == 3);

                client.resources(DaskCluster.class)
                        .inNamespace(namespace)
                        .withName("simple")
                        .delete();
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(
                                () ->
                                        client.pods()
                                                .inNamespace(namespace)
                                                .withLabel("dask.org/cluster-name", "simple")
                                                .list()
                                                .getItems()
                                                .isEmpty());
            } finally {
                String out =
                        Helm.uninstall(RELEASE)
                                .withNamespace(namespace)
                                .withKubeConfig(kubernetes.kubeconfig())
                                .call();
                assertThat(out).contains("uninstalled");
            }
            assertThat(client.apps().deployments().inNamespace(namespace).list().getItems())
                    .isEmpty();
        }
    }

    private static void install(RealCluster kubernetes) {
        String[] image = RealCluster.operatorImage();
        InstallCommand install =
                new Helm(CHART)
                        .install()
                        .withName(RELEASE)
                        .withNamespace(kubernetes.namespace())
                        .set("rbac.cluster", "false")
                        .set("image.repository", image[0])
                        .withKubeConfig(kubernetes.kubeconfig());
        if (image[1] != null) {
            install = install.set("image.tag", image[1]);
        }
        assertThat(install.call().getStatus()).isEqualTo("deployed");
    }

    private static boolean operatorReady(KubernetesClient client, String namespace) {
        return client.apps().deployments().inNamespace(namespace).list().getItems().stream()
                .map(Deployment::getStatus)
                .anyMatch(
                        status ->
                                status != null
                                        && status.getReadyReplicas() != null
                                        && status.getReadyReplicas() >= 1);
    }

    private static DaskCluster simpleCluster(String image) throws Exception {
        DaskCluster cluster =
                io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                        java.nio.file.Files.newInputStream(SIMPLE_CLUSTER), DaskCluster.class);
        for (Container container : cluster.getSpec().getWorker().getSpec().getContainers()) {
            container.setImage(image);
        }
        for (Container container : cluster.getSpec().getScheduler().getSpec().getContainers()) {
            container.setImage(image);
        }
        return cluster;
    }

    private static String phase(KubernetesClient client, String namespace) {
        DaskCluster cluster =
                client.resources(DaskCluster.class).inNamespace(namespace).withName("simple").get();
        return cluster == null || cluster.getStatus() == null
                ? null
                : cluster.getStatus().getPhase();
    }

    private static long runningWorkers(KubernetesClient client, String namespace) {
        return client
                .pods()
                .inNamespace(namespace)
                .withLabel("dask.org/cluster-name", "simple")
                .withLabel("dask.org/component", "worker")
                .list()
                .getItems()
                .stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(pod -> "Running".equals(pod.getStatus().getPhase()))
                .count();
    }
}
