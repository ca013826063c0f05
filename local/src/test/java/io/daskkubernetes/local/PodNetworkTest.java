package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pods in their own network namespaces (this test runs as root): same ports, Service names, cluster
 * IPs.
 */
class PodNetworkTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.builder().podNetwork(PodNetworkMode.NAMESPACES).start();
        client = kubernetes.client();
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    /** A web server on port 8786 whose page is its own name, ready once it listens. */
    private static Pod webServer(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withCommand(
                        "sh",
                        "-c",
                        "echo -n "
                                + name
                                + " > index.html && exec /usr/bin/python3 -m http.server 8786")
                .addNewPort()
                .withContainerPort(8786)
                .withName("http")
                .endPort()
                .withNewReadinessProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString(8786))
                .endTcpSocket()
                .withPeriodSeconds(1)
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .build();
    }

    private static Service service(String name) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addToSelector("app", name)
                .addNewPort()
                .withName("http")
                .withPort(80)
                .withTargetPort(new IntOrString("http"))
                .endPort()
                .endSpec()
                .build();
    }

    private static String httpGet(String url) throws IOException {
        var connection = URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void twoPodsListenOnTheSamePortAndAThirdReachesBothByServiceName() throws Exception {
        client.pods().resource(webServer("web-a")).create();
        client.pods().resource(webServer("web-b")).create();
        Service a = client.services().resource(service("web-a")).create();
        client.services().resource(service("web-b")).create();
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            Endpoints endpoints = client.endpoints().withName("web-b").get();
                            return endpoints != null
                                    && !endpoints.getSubsets().isEmpty()
                                    && !endpoints.getSubsets().get(0).getAddresses().isEmpty();
                        });
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            Endpoints endpoints = client.endpoints().withName("web-a").get();
                            return endpoints != null
                                    && !endpoints.getSubsets().isEmpty()
                                    && !endpoints.getSubsets().get(0).getAddresses().isEmpty();
                        });
        Pod podA = client.pods().withName("web-a").get();
        Pod podB = client.pods().withName("web-b").get();
        assertThat(podA.getStatus().getPodIP())
                .isNotEqualTo(podB.getStatus().getPodIP())
                .startsWith("10.244.");
        assertThat(
                        client.endpoints()
                                .withName("web-a")
                                .get()
                                .getSubsets()
                                .get(0)
                                .getPorts()
                                .get(0)
                                .getPort())
                .isEqualTo(8786);

        Pod caller =
                new PodBuilder()
                        .withNewMetadata()
                        .withName("caller")
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .addNewContainer()
                        .withName("main")
                        .withCommand(
                                "/usr/bin/python3",
                                "-c",
                                "import urllib.request as u\n"
                                        + "for url in ['http://web-a:8786/', 'http://web-b.default:8786/', "
                                        + "'http://web-a.default.svc.cluster.local:8786/']:\n"
                                        + "    print(u.urlopen(url, timeout=5).read().decode())")
                        .endContainer()
                        .endSpec()
                        .build();
        client.pods().resource(caller).create();
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            Pod pod = client.pods().withName("caller").get();
                            return pod != null
                                    && ("Succeeded".equals(pod.getStatus().getPhase())
                                            || "Failed".equals(pod.getStatus().getPhase()));
                        });
        assertThat(client.pods().withName("caller").getLog()).isEqualTo("web-a\nweb-b\nweb-a\n");

        // From this machine: pods at their IPs, the Service at its cluster IP and port (80 ->
        // 8786).
        assertThat(httpGet("http://" + podB.getStatus().getPodIP() + ":8786/")).isEqualTo("web-b");
        assertThat(a.getSpec().getClusterIP()).startsWith("10.96.");
        assertThat(httpGet("http://" + a.getSpec().getClusterIP() + ":80/")).isEqualTo("web-a");
    }

    /**
     * A NodePort Service answers at the node's InternalIP and its node port, as kube-proxy serves
     * it on every node (the classic client's NodePort path connects exactly there).
     */
    @Test
    void aNodePortServiceAnswersAtTheNodesAddressAndItsNodePort() throws Exception {
        client.pods().resource(webServer("web-n")).create();
        Service nodePort =
                client.services()
                        .resource(
                                new ServiceBuilder(service("web-n"))
                                        .editSpec()
                                        .withType("NodePort")
                                        .endSpec()
                                        .build())
                        .create();
        Integer port = nodePort.getSpec().getPorts().get(0).getNodePort();
        assertThat(port).as("a node port assigned at admission").isBetween(30000, 32767);
        String nodeIp =
                client.nodes().list().getItems().get(0).getStatus().getAddresses().stream()
                        .filter(address -> "InternalIP".equals(address.getType()))
                        .findFirst()
                        .orElseThrow()
                        .getAddress();

        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(
                        () ->
                                assertThat(httpGet("http://" + nodeIp + ":" + port + "/"))
                                        .isEqualTo("web-n"));

        client.services().withName("web-n").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> !answers(nodeIp, port));
    }

    private static boolean answers(String host, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * publishNotReadyAddresses: the Service leads to its pod before the pod is Ready (here: never),
     * as kube-proxy routes to not-ready endpoints of such a Service.
     */
    @Test
    void aServiceThatPublishesNotReadyAddressesLeadsToAPodThatIsNotReady() throws Exception {
        Pod neverReady =
                new PodBuilder(webServer("web-u"))
                        .editSpec()
                        .editFirstContainer()
                        .withNewReadinessProbe()
                        .withNewExec()
                        .withCommand("false")
                        .endExec()
                        .withPeriodSeconds(1)
                        .endReadinessProbe()
                        .endContainer()
                        .endSpec()
                        .build();
        client.pods().resource(neverReady).create();
        Service published =
                client.services()
                        .resource(
                                new ServiceBuilder(service("web-u"))
                                        .editSpec()
                                        .withPublishNotReadyAddresses(true)
                                        .endSpec()
                                        .build())
                        .create();

        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(
                        () ->
                                assertThat(
                                                httpGet(
                                                        "http://"
                                                                + published.getSpec().getClusterIP()
                                                                + ":80/"))
                                        .isEqualTo("web-u"));
        Endpoints endpoints = client.endpoints().withName("web-u").get();
        assertThat(endpoints.getSubsets().get(0).getAddresses())
                .as("the not-ready pod is an address of such a Service")
                .hasSize(1);
        assertThat(client.pods().withName("web-u").get().getStatus().getConditions())
                .as("while the pod itself is not ready")
                .anyMatch(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()));
    }
}
