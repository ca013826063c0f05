package io.daskkubernetes.clustertests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The classic client on a real cluster: the seed's worker spec (with the test's Dask image and
 * requests a small cluster can satisfy), from a client outside the cluster, computes the seed's
 * mean, scales, and leaves nothing behind.
 */
class ClassicClientIT {

    private static final Path SEED_SPEC = Path.of("..", "examples", "worker-spec.yml");

    @Test
    void theSeedsSpecComputesTheSeedsMeanScalesAndLeavesNothing() {
        try (RealCluster kubernetes = RealCluster.connect("classic")) {
            String name;
            try (KubeCluster cluster =
                    KubeCluster.builder()
                            .kubernetesClient(kubernetes.client())
                            .config(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                            .namespace(kubernetes.namespace())
                            .workerTemplate(workerPod(RealCluster.daskImage()))
                            .start()) {
                name = cluster.name();
                cluster.scale(2);
                cluster.waitForWorkers(2, RealCluster.POD_START);
                System.out.printf(
                        "classic cluster %s: scheduler at %s from here%n",
                        name, cluster.schedulerAddress());

                assertThat(PythonDask.seedMean(cluster.schedulerAddress(), 2)).isEqualTo("1.0");

                cluster.scale(1);
                await().atMost(Duration.ofMinutes(2)).until(() -> cluster.workers().size() == 1);
            }
            assertThat(
                            kubernetes
                                    .client()
                                    .pods()
                                    .inNamespace(kubernetes.namespace())
                                    .withLabel("dask.org/cluster-name", name)
                                    .list()
                                    .getItems())
                    .as("pods of %s after close()", name)
                    .allSatisfy(
                            pod ->
                                    assertThat(pod.getMetadata().getDeletionTimestamp())
                                            .isNotNull());
        }
    }

    /** The seed's spec, with the test's image and requests that fit a small cluster. */
    private static Pod workerPod(String image) {
        Pod seed = PodTemplateFiles.read(SEED_SPEC);
        return new PodBuilder(seed)
                .editSpec()
                .editFirstContainer()
                .withImage(image)
                .withNewResources()
                .addToRequests("cpu", new Quantity("250m"))
                .addToRequests("memory", new Quantity("512Mi"))
                .addToLimits("memory", new Quantity("2Gi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
    }
}
