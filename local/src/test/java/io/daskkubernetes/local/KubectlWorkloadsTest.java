package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kubectl against the runtime: Services' endpoints, events. */
class KubectlWorkloadsTest {

    private static LocalKubernetes kubernetes;
    static KubernetesClient client;
    private static KubectlSupport kubectl;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.start();
        client = kubernetes.client();
        kubectl = new KubectlSupport(kubernetes);
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    static void createWebPod(String name, String app) {
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .addToLabels("app", app)
                                .endMetadata()
                                .withNewSpec()
                                .withTerminationGracePeriodSeconds(1L)
                                .addNewContainer()
                                .withName("web")
                                .withImage("python:3")
                                .withCommand("python3", "-m", "http.server", "8080")
                                .addNewPort()
                                .withName("http")
                                .withContainerPort(8080)
                                .endPort()
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
    }

    @Test
    void describeServiceShowsItsEndpoints() throws Exception {
        createWebPod("described-1", "described");
        createWebPod("described-2", "described");
        client.services()
                .resource(
                        new ServiceBuilder()
                                .withNewMetadata()
                                .withName("described")
                                .endMetadata()
                                .withNewSpec()
                                .addToSelector("app", "described")
                                .addNewPort()
                                .withPort(80)
                                .withTargetPort(new IntOrString("http"))
                                .endPort()
                                .endSpec()
                                .build())
                .create();
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                client
                                                .discovery()
                                                .v1()
                                                .endpointSlices()
                                                .withLabel(
                                                        "kubernetes.io/service-name", "described")
                                                .list()
                                                .getItems()
                                                .stream()
                                                .flatMap(s -> s.getEndpoints().stream())
                                                .filter(e -> e.getConditions().getReady())
                                                .count()
                                        == 2);
        String ip1 = client.pods().withName("described-1").get().getStatus().getPodIP();
        String ip2 = client.pods().withName("described-2").get().getStatus().getPodIP();

        String described = kubectl.ok("describe", "svc", "described");

        assertThat(described)
                .containsPattern("Endpoints:\\s+\\S*" + ip1.replace(".", "\\.") + ":8080");
        assertThat(described).contains(ip2 + ":8080");
        assertThat(kubectl.ok("get", "endpointslices")).contains("described");
        client.services().withName("described").delete();
        client.pods().withName("described-1").delete();
        client.pods().withName("described-2").delete();
    }

    @Test
    void kubectlEventsShowWhatTheKubeletDidToACrashLoopingPod() throws Exception {
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("crasher")
                                .endMetadata()
                                .withNewSpec()
                                .withTerminationGracePeriodSeconds(1L)
                                .addNewContainer()
                                .withName("main")
                                .withImage("busybox")
                                .withCommand("sh", "-c", "echo about to fail; exit 3")
                                .endContainer()
                                .endSpec()
                                .build())
                .create();

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(kubectl.ok("events"))
                                        .containsPattern("Warning\\s+BackOff\\s+Pod/crasher")
                                        .containsPattern(
                                                "Normal\\s+Scheduled\\s+Pod/crasher\\s+Successfully"
                                                        + " assigned default/crasher to local")
                                        .containsPattern("Normal\\s+Pulled\\s+Pod/crasher")
                                        .containsPattern(
                                                "Normal\\s+Created\\s+Pod/crasher\\s+Created"
                                                        + " container: main")
                                        .containsPattern(
                                                "Normal\\s+Started\\s+Pod/crasher\\s+Started"
                                                        + " container main"));
        assertThat(kubectl.ok("events", "--types", "Warning"))
                .contains("Back-off restarting failed container main in pod crasher_default")
                .doesNotContain("Started");

        kubectl.ok("delete", "pod", "crasher", "--grace-period=1");
        // A running container is stopped with a Killing event.
        createWebPod("stopped", "stopped");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> kubectl.ok("events").contains("Started container web"));
        kubectl.ok("delete", "pod", "stopped", "--grace-period=1");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(kubectl.ok("events"))
                                        .containsPattern(
                                                "Normal\\s+Killing\\s+Pod/stopped\\s+Stopping"
                                                        + " container web"));
    }
}
