package io.daskkubernetes.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.TlsCredentials;
import io.daskkubernetes.scheduler.SchedulerTimeouts;
import io.daskkubernetes.scheduler.TcpSchedulerClient;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS cluster on the local runtime with real Dask: the scheduler refuses plain TCP (from Java and
 * from Python), a Python client given the cluster's credentials computes the array mean, a scale
 * from elsewhere reaches the scheduler with the Secret's certificate and adds a TLS worker, and the
 * Secret goes with the cluster.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KubeClusterTlsEndToEndTest {

    private static final Path PLAIN_CLIENT =
            Path.of("src/test/resources/plain_client.py").toAbsolutePath();

    @TempDir Path scratch;

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

    @Test
    void plainTcpIsRefusedAndTheClustersCredentialsComputeTheMean() throws Exception {
        String name;
        try (KubeCluster cluster =
                KubeClusterEndToEndTest.clusterOn(client)
                        .workerTemplate(PodTemplateFiles.read(KubeClusterEndToEndTest.SEED_SPEC))
                        .tls(true)
                        .start()) {
            name = cluster.name();
            assertThat(cluster.schedulerAddress()).startsWith("tls://");
            assertThat(cluster.schedulerAddressInCluster()).startsWith("tls://");
            assertThat(cluster.schedulerClient().transportName()).isEqualTo("tls");
            Secret secret = client.secrets().inNamespace("default").withName(name + "-tls").get();
            assertThat(secret.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(owner -> assertThat(owner.getName()).isEqualTo(name));

            cluster.scale(1);
            await().atMost(KubeClusterEndToEndTest.REGISTRATION)
                    .until(() -> cluster.schedulerClient().workers().size() == 1);

            String plainAddress =
                    "tcp://" + cluster.schedulerAddress().substring("tls://".length());
            try (TcpSchedulerClient plain =
                    new TcpSchedulerClient(
                            plainAddress, SchedulerTimeouts.of(Duration.ofSeconds(1)))) {
                assertThat(plain.healthy()).as("a plain TCP client at " + plainAddress).isFalse();
            }
            assertThat(
                            PythonClient.run(
                                            PLAIN_CLIENT,
                                            Map.of(),
                                            Duration.ofSeconds(40),
                                            plainAddress,
                                            "2s")
                                    .strip())
                    .startsWith("refused");

            Map<String, String> tlsEnvironment =
                    clientEnvironment(cluster.tlsCredentials().orElseThrow());
            String output =
                    PythonClient.run(
                            KubeClusterEndToEndTest.ARRAY_MEAN,
                            withSize(tlsEnvironment),
                            Duration.ofMinutes(1),
                            cluster.schedulerAddress());
            assertThat(output.strip()).isEqualTo("1.0");

            // As `dask-kubernetes scale` would: the model from the owner, the client certificate
            // from the Secret; the new worker pod must mount it to register.
            assertThat(new ClusterCatalog(client).scale("default", name, 2)).isEqualTo(2);
            await().atMost(KubeClusterEndToEndTest.REGISTRATION)
                    .until(() -> cluster.schedulerClient().workers().size() == 2);
        }
        assertThat(
                        client.secrets()
                                .inNamespace("default")
                                .withLabel(DaskLabels.CLUSTER_NAME, name)
                                .list()
                                .getItems())
                .as("the Secret goes with the cluster")
                .isEmpty();
        assertThat(
                        client.pods()
                                .inNamespace("default")
                                .withLabel(DaskLabels.CLUSTER_NAME, name)
                                .list()
                                .getItems())
                .isEmpty();
    }

    private static Map<String, String> withSize(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("DASK_EXAMPLE_SIZE", "200");
        return all;
    }

    /** Dask's configuration variables that point a Python client at the cluster's files. */
    private Map<String, String> clientEnvironment(TlsCredentials credentials) throws Exception {
        Path ca = Files.writeString(scratch.resolve("ca.crt"), credentials.caCertificate());
        Path cert =
                Files.writeString(scratch.resolve("client.crt"), credentials.clientCertificate());
        Path key = Files.writeString(scratch.resolve("client.key"), credentials.clientKey());
        return Map.of(
                "DASK_DISTRIBUTED__COMM__TLS__CA_FILE", ca.toString(),
                "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT", cert.toString(),
                "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY", key.toString(),
                "DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION", "True");
    }
}
