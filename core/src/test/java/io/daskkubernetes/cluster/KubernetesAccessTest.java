package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.model.MakePodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesAccessTest {

    @TempDir Path dir;

    @Test
    void aContextTheKubeconfigDoesNotHaveStopsTheStartBeforeAnyRequest() throws Exception {
        Path kubeconfig =
                Files.writeString(
                        dir.resolve("config"),
                        """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:1"}
                users:
                - name: u
                  user: {token: t}
                contexts:
                - name: laptop
                  context: {cluster: c, user: u}
                current-context: laptop
                """);
        String previous = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", kubeconfig.toString());
        try {
            assertThatThrownBy(
                            () ->
                                    KubeCluster.builder()
                                            .workerTemplate(
                                                    MakePodSpec.builder().image("dask").build())
                                            .context("nosuch")
                                            .start())
                    .isInstanceOf(ClusterException.class)
                    .hasMessageContaining("context \"nosuch\" is not in")
                    .hasMessageContaining("its contexts are laptop");
        } finally {
            if (previous == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", previous);
            }
        }
    }
}
