package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded API server alone: objects, defaults, validation, watches, kubeconfig. No pod runs
 * here.
 */
class ApiServerTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.builder().podNetwork(PodNetworkMode.HOST).start();
        client = kubernetes.client();
    }

    @AfterAll
    static void stop() {
        if (kubernetes != null) {
            kubernetes.close();
        }
    }

    private static Pod pod(String name) {
        // A node name no kubelet serves keeps these pods away from any kubelet.
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNodeName("elsewhere")
                .addNewContainer()
                .withName("main")
                .withImage("ignored")
                .withCommand("sleep", "60")
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    void startsWithTheDefaultNamespaceAndTheLocalNode() {
        assertThat(client.namespaces().withName("default").get()).isNotNull();
        assertThat(client.nodes().withName("local").get().getStatus().getCapacity())
                .containsKeys("cpu", "memory");
        assertThat(client.getNamespace()).isEqualTo("default");
    }

    @Test
    void newPodsArePendingWithDefaults() {
        Pod created = client.pods().resource(pod("defaults")).create();

        assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(created.getSpec().getRestartPolicy()).isEqualTo("Always");
        assertThat(created.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(created.getMetadata().getUid()).isNotEmpty();
    }

    @Test
    void generateNameGivesAShortRandomSuffix() {
        Pod pod = pod(null);
        pod.getMetadata().setGenerateName("c1-worker-");

        Pod created = client.pods().resource(pod).create();

        assertThat(created.getMetadata().getName())
                .matches("c1-worker-[bcdfghjklmnpqrstvwxz2456789]{5}");
    }

    @Test
    void aPodWithoutContainersIsRefusedNamingTheField() {
        Pod pod =
                new PodBuilder()
                        .withNewMetadata()
                        .withName("empty")
                        .endMetadata()
                        .withNewSpec()
                        .endSpec()
                        .build();

        assertThatThrownBy(() -> client.pods().resource(pod).create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec.containers: Required value");
    }

    @Test
    void servicesGetAClusterIpAndTargetPorts() {
        Service service =
                new ServiceBuilder()
                        .withNewMetadata()
                        .withName("sched")
                        .endMetadata()
                        .withNewSpec()
                        .addToSelector("app", "x")
                        .addNewPort()
                        .withName("tcp-comm")
                        .withPort(8786)
                        .endPort()
                        .addNewPort()
                        .withName("http-dashboard")
                        .withPort(8787)
                        .endPort()
                        .endSpec()
                        .build();

        Service created = client.services().resource(service).create();

        assertThat(created.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(created.getSpec().getClusterIP()).isEqualTo("127.0.0.1");
        assertThat(created.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(8786);
    }

    @Test
    void aServiceWithTwoUnnamedPortsIsRefused() {
        Service service =
                new ServiceBuilder()
                        .withNewMetadata()
                        .withName("bad")
                        .endMetadata()
                        .withNewSpec()
                        .addNewPort()
                        .withPort(1)
                        .endPort()
                        .addNewPort()
                        .withPort(2)
                        .endPort()
                        .endSpec()
                        .build();

        assertThatThrownBy(() -> client.services().resource(service).create())
                .hasMessageContaining("spec.ports[0].name: Required value");
    }

    @Test
    void watchesSeeCreationsAndDeletions() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch ignored =
                client.pods()
                        .withLabel("watched", "yes")
                        .watch(
                                new Watcher<>() {
                                    @Override
                                    public void eventReceived(Action action, Pod pod) {
                                        events.add(action + " " + pod.getMetadata().getName());
                                    }

                                    @Override
                                    public void onClose(WatcherException cause) {
                                        // Closed by the test.
                                    }
                                })) {
            Pod pod = pod("watched");
            pod.getMetadata().getLabels().put("watched", "yes");
            client.pods().resource(pod).create();
            client.pods().withName("watched").withGracePeriod(0).delete();

            await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("DELETED watched"));
            assertThat(events).contains("ADDED watched");
        }
    }

    @Test
    void deletingARunningPodMarksItTerminatingUntilGracePeriodZero() {
        client.pods().resource(pod("graceful")).create();

        client.pods().withName("graceful").withGracePeriod(20).delete();

        Pod terminating = client.pods().withName("graceful").get();
        assertThat(terminating).isNotNull();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(20L);

        client.pods().withName("graceful").withGracePeriod(0).delete();
        assertThat(client.pods().withName("graceful").get()).isNull();
    }

    @Test
    void mergePatchesReplaceListsAndRemoveNullKeys() {
        Pod pod = pod("patched");
        pod.getMetadata().setLabels(java.util.Map.of("a", "1"));
        client.pods().resource(pod).create();
        PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);

        client.pods()
                .withName("patched")
                .subresource("status")
                .patch(
                        merge,
                        "{\"status\":{\"conditions\":[{\"type\":\"A\",\"status\":\"True\"}]}}");
        client.pods()
                .withName("patched")
                .subresource("status")
                .patch(
                        merge,
                        "{\"status\":{\"conditions\":[{\"type\":\"B\",\"status\":\"True\"}]}}");
        client.pods()
                .withName("patched")
                .patch(merge, "{\"metadata\":{\"labels\":{\"a\":null,\"b\":\"2\"}}}");

        Pod patched = client.pods().withName("patched").get();
        assertThat(patched.getStatus().getConditions()).extracting("type").containsExactly("B");
        assertThat(patched.getMetadata().getLabels())
                .containsExactly(java.util.Map.entry("b", "2"));
    }

    @Test
    void aTerminatingPodSurvivesStatusWritesUntilGracePeriodZero() {
        client.pods().resource(pod("terminating")).create();
        client.pods().withName("terminating").withGracePeriod(30).delete();

        client.pods()
                .withName("terminating")
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"status\":{\"phase\":\"Running\"}}");

        Pod terminating = client.pods().withName("terminating").get();
        assertThat(terminating.getStatus().getPhase()).isEqualTo("Running");
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
        client.pods().withName("terminating").withGracePeriod(0).delete();
        assertThat(client.pods().withName("terminating").get()).isNull();
    }

    @Test
    void aPodThatNeverRanIsDeletedAtOnce() {
        Pod pod = pod("unscheduled");
        pod.getSpec().setNodeName(null);
        client.pods().resource(pod).create();

        client.pods().withName("unscheduled").delete();

        assertThat(client.pods().withName("unscheduled").get()).isNull();
    }

    @Test
    void kubectlWorksWithTheKubeconfig() throws Exception {
        Process kubectl =
                new ProcessBuilder(
                                "/usr/bin/kubectl",
                                "--kubeconfig",
                                kubernetes.kubeconfig().toString(),
                                "get",
                                "namespaces",
                                "-o",
                                "name")
                        .redirectErrorStream(true)
                        .start();
        try {
            String output = new String(kubectl.getInputStream().readAllBytes());
            assertThat(kubectl.waitFor()).as(output).isZero();
            assertThat(output).contains("namespace/default");
        } finally {
            kubectl.destroyForcibly();
        }
    }

    @Test
    void closeStopsTheServerAndRemovesItsFiles() throws IOException {
        LocalKubernetes other = LocalKubernetes.builder().podNetwork(PodNetworkMode.HOST).start();
        Path state = other.stateDirectory();
        String url = other.apiServerUrl();
        assertThat(Files.exists(other.kubeconfig())).isTrue();

        other.close();
        other.close();

        assertThat(state).doesNotExist();
        int port = URI.create(url).getPort();
        // Nothing listens any more: a TCP connect is refused.
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                .isInstanceOf(java.net.ConnectException.class);
    }
}
