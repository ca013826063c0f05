package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host network mode (the default without root): pods at 127.0.0.1, port clashes fail the pod
 * clearly.
 */
class HostNetworkTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.builder().podNetwork(PodNetworkMode.HOST).start();
        client = kubernetes.client();
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    @Test
    void aPodWhosePortIsTakenFailsNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            int port = taken.getLocalPort();
            client.pods()
                    .resource(
                            new PodBuilder()
                                    .withNewMetadata()
                                    .withName("clash")
                                    .endMetadata()
                                    .withNewSpec()
                                    .addNewContainer()
                                    .withName("main")
                                    .withCommand("sleep", "60")
                                    .addNewPort()
                                    .withContainerPort(port)
                                    .endPort()
                                    .endContainer()
                                    .endSpec()
                                    .build())
                    .create();

            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    "Failed"
                                            .equals(
                                                    client.pods()
                                                            .withName("clash")
                                                            .get()
                                                            .getStatus()
                                                            .getPhase()));

            Pod pod = client.pods().withName("clash").get();
            assertThat(pod.getStatus().getReason()).isEqualTo("PortInUse");
            assertThat(pod.getStatus().getMessage()).contains("port " + port, "already in use");
        }
    }

    @Test
    void podsAndServicesAreAtLoopback() {
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("web")
                                .addToLabels("app", "web")
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("main")
                                .withCommand("sleep", "60")
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        Service service =
                client.services()
                        .resource(
                                new ServiceBuilder()
                                        .withNewMetadata()
                                        .withName("web")
                                        .endMetadata()
                                        .withNewSpec()
                                        .addToSelector("app", "web")
                                        .addNewPort()
                                        .withPort(8080)
                                        .endPort()
                                        .endSpec()
                                        .build())
                        .create();

        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                "Running"
                                        .equals(
                                                client.pods()
                                                        .withName("web")
                                                        .get()
                                                        .getStatus()
                                                        .getPhase()));

        assertThat(client.pods().withName("web").get().getStatus().getPodIP())
                .isEqualTo("127.0.0.1");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("127.0.0.1");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> {
                            var endpoints = client.endpoints().withName("web").get();
                            return endpoints != null
                                    && !endpoints.getSubsets().isEmpty()
                                    && "127.0.0.1"
                                            .equals(
                                                    endpoints
                                                            .getSubsets()
                                                            .get(0)
                                                            .getAddresses()
                                                            .get(0)
                                                            .getIp());
                        });
    }
}
