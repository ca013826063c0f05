package io.daskkubernetes.operator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.config.ConfigSources;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * What a user sees when the Dask operator is not there: on the local runtime with no operator
 * running, first without the CRDs, then with them installed. No pods are started.
 */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorKubeClusterErrorsTest {

    private static LocalKubernetes runtime;
    private static KubernetesClient client;

    @BeforeAll
    static void startRuntime() {
        runtime = LocalKubernetes.start();
        client = runtime.client();
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static OperatorKubeCluster.Builder cluster(String name) {
        return OperatorKubeCluster.builder()
                .kubernetesClient(client)
                .config(DaskConfig.load(ConfigSources.of(List.of(), Map.of())))
                .namespace("default")
                .name(name)
                .workers(1)
                .closeAtExit(false)
                .resourceTimeout(Duration.ofSeconds(2));
    }

    @Test
    @Order(1)
    void withoutTheCrdsOneLineSaysToInstallTheOperator() {
        assertThatThrownBy(() -> cluster("no-crd").start())
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("daskclusters.kubernetes.dask.org")
                .hasMessageContaining("CRD is not installed")
                .hasMessageContaining("dask-kubernetes operator")
                .message()
                .doesNotContain("\n");
        assertThatThrownBy(() -> cluster("no-crd").connect())
                .hasMessageContaining("CRD is not installed");
    }

    @Test
    @Order(2)
    void withTheCrdsButNoOperatorOneLineSaysNoOperatorAnsweredAndTheClusterIsRemoved()
            throws Exception {
        installCrds();
        assertThatThrownBy(() -> cluster("no-operator").start())
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("DaskCluster default/no-operator")
                .hasMessageContaining("no status from a Dask operator within 2 s")
                .hasMessageContaining("is the operator running")
                .message()
                .doesNotContain("\n");
        assertThat(client.resources(DaskCluster.class).inNamespace("default").list().getItems())
                .as("the DaskCluster made for the failed start is deleted again")
                .isEmpty();

        assertThatThrownBy(() -> cluster("nowhere").connect())
                .hasMessageContaining("there is no DaskCluster nowhere in namespace default");
    }

    private static void installCrds() throws Exception {
        for (String plural :
                List.of("daskclusters", "daskworkergroups", "daskautoscalers", "daskjobs")) {
            String resource = "META-INF/fabric8/" + plural + ".kubernetes.dask.org-v1.yml";
            try (InputStream crd =
                    OperatorKubeClusterErrorsTest.class
                            .getClassLoader()
                            .getResourceAsStream(resource)) {
                assertThat(crd).as(resource).isNotNull();
                client.load(crd).create();
            }
        }
    }
}
