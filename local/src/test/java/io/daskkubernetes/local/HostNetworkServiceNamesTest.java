package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the host network (the mode of every user who is not root) Service names resolve inside pods,
 * as with a network per pod: each pod has its own hosts file, kept current as Services come and go.
 */
class HostNetworkServiceNamesTest {

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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static ServiceBuilder service(String name, int port) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addToSelector("app", name)
                .addNewPort()
                .withPort(port)
                .withTargetPort(new IntOrString(port))
                .endPort()
                .endSpec();
    }

    @Test
    void serviceNamesResolveInPodsAndNamesMadeLaterToo() throws Exception {
        int port = freePort();
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("web")
                                .addToLabels("app", "web")
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("web")
                                .withCommand(
                                        "sh",
                                        "-c",
                                        "echo -n hello-from-web > index.html"
                                                + " && exec /usr/bin/python3 -m http.server "
                                                + port
                                                + " --bind 127.0.0.1")
                                .addNewPort()
                                .withContainerPort(port)
                                .endPort()
                                .withNewReadinessProbe()
                                .withNewTcpSocket()
                                .withPort(new IntOrString(port))
                                .endTcpSocket()
                                .withPeriodSeconds(1)
                                .endReadinessProbe()
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        client.services().resource(service("web", port).build()).create();
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            Endpoints endpoints = client.endpoints().withName("web").get();
                            return endpoints != null
                                    && !endpoints.getSubsets().isEmpty()
                                    && !endpoints.getSubsets().get(0).getAddresses().isEmpty();
                        });

        // Prints each name with the address it resolves to (none when it does not), fetches the
        // page by
        // name, then waits inside the pod until a Service made after it started resolves too.
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("resolver")
                                .endMetadata()
                                .withNewSpec()
                                .withRestartPolicy("Never")
                                .addNewContainer()
                                .withName("main")
                                .withCommand(
                                        "sh",
                                        "-c",
                                        "for name in web web.default web.default.svc web.default.svc.cluster.local resolver; do\n"
                                                + "  echo \"$name=$(getent hosts $name | awk '{print $1}')\"\n"
                                                + "done\n"
                                                + "/usr/bin/python3 -c \"import urllib.request as u; "
                                                + "print(u.urlopen('http://web.default.svc:"
                                                + port
                                                + "/', timeout=5).read().decode())\"\n"
                                                + "until getent hosts late.default > /dev/null; do sleep 0.1; done\n"
                                                + "echo \"late.default=$(getent hosts late.default | awk '{print $1}')\"\n")
                                .endContainer()
                                .endSpec()
                                .build())
                .create();

        String firstPart =
                "web=127.0.0.1\nweb.default=127.0.0.1\nweb.default.svc=127.0.0.1\n"
                        + "web.default.svc.cluster.local=127.0.0.1\nresolver=127.0.0.1\nhello-from-web\n";
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(client.pods().withName("resolver").getLog())
                                        .isEqualTo(firstPart));

        client.services().resource(service("late", freePort()).build()).create();

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                "Succeeded"
                                        .equals(
                                                client.pods()
                                                        .withName("resolver")
                                                        .get()
                                                        .getStatus()
                                                        .getPhase()));
        assertThat(client.pods().withName("resolver").getLog())
                .isEqualTo(firstPart + "late.default=127.0.0.1\n");
    }

    @Test
    void deletingAPodKillsItsWholeProcessGroup() {
        String marker = UUID.randomUUID().toString();
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("parent")
                                .endMetadata()
                                .withNewSpec()
                                .withTerminationGracePeriodSeconds(1L)
                                .addNewContainer()
                                .withName("main")
                                // The shell ignores SIGTERM, so only a SIGKILL to the group ends
                                // it; its child sleeps on.
                                .withCommand("sh", "-c", "trap '' TERM; sleep 300 & wait")
                                .addNewEnv()
                                .withName("TEST_MARKER")
                                .withValue(marker)
                                .endEnv()
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> RuntimeLeftovers.processesWith("TEST_MARKER", marker).size() == 2);

        client.pods().withName("parent").delete();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.pods().withName("parent").get() == null);
        assertThat(RuntimeLeftovers.processesWith("TEST_MARKER", marker)).isEmpty();
    }
}
