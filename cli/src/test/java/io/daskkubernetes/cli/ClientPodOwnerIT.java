package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that runs in a pod (named by the downward API's {@code POD_NAME}/{@code POD_NAMESPACE})
 * makes that pod an owner of its cluster: deleting the notebook's pod deletes the cluster, through
 * the runtime's garbage collector, with no help from the client.
 */
class ClientPodOwnerIT {

    private static final Duration READY = Duration.ofMinutes(2);

    @TempDir Path output;

    private LaunchedProcess local;
    private LaunchedProcess cluster;
    private KubernetesClient kubernetes;

    @AfterEach
    void stopWhatIsLeft() {
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    void deletingTheClientsPodDeletesItsCluster() throws Exception {
        local = Launcher.start(output, Map.of(), "local");
        String kubeconfig = local.awaitKubeconfig(READY);
        kubernetes = LaunchedProcess.clientOf(kubeconfig);
        Pod notebook =
                kubernetes
                        .pods()
                        .inNamespace("default")
                        .resource(
                                new PodBuilder()
                                        .withNewMetadata()
                                        .withName("notebook-0")
                                        .endMetadata()
                                        .withNewSpec()
                                        .withRestartPolicy("Never")
                                        .addNewContainer()
                                        .withName("jupyter")
                                        .withImage("jupyter")
                                        .withCommand("sleep", "300")
                                        .endContainer()
                                        .endSpec()
                                        .build())
                        .create();
        cluster =
                Launcher.start(
                        output,
                        Map.of("POD_NAME", "notebook-0", "POD_NAMESPACE", "default"),
                        "--kubeconfig",
                        kubeconfig,
                        "cluster",
                        "--spec",
                        "examples/worker-spec.yml",
                        "--workers",
                        "1",
                        "--name",
                        "podowned-{uuid}");
        String name =
                cluster.awaitStdoutLine(
                                "its cluster: line", line -> line.startsWith("cluster:"), READY)
                        .split("\\s+")[1];
        cluster.awaitStderrLine(
                "its ready line", line -> line.contains("Cluster " + name + " is ready"), READY);

        ConfigMap owner = kubernetes.configMaps().inNamespace("default").withName(name).get();
        assertThat(owner.getMetadata().getOwnerReferences())
                .as(cluster.describe())
                .extracting(
                        OwnerReference::getKind, OwnerReference::getName, OwnerReference::getUid)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "Pod", "notebook-0", notebook.getMetadata().getUid()));

        kubernetes.pods().inNamespace("default").withName("notebook-0").delete();
        await("the owner and every pod of the cluster gone with the notebook's pod")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () ->
                                kubernetes.configMaps().inNamespace("default").withName(name).get()
                                                == null
                                        && kubernetes
                                                .pods()
                                                .inNamespace("default")
                                                .withLabel("dask.org/cluster-name", name)
                                                .list()
                                                .getItems()
                                                .isEmpty());
        cluster.awaitStderrLine(
                "the client notices its cluster was deleted",
                line -> line.contains("was deleted elsewhere"),
                Duration.ofSeconds(30));
        assertThat(cluster.awaitExit(Duration.ofSeconds(60))).as(cluster.describe()).isZero();
    }
}
