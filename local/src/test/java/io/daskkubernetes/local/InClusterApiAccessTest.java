package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pods reach the API server as clients in a real cluster do: through the {@code kubernetes}
 * Service, with their service account's token and the cluster's CA, using kubectl and Debian's
 * Python client unchanged (this test runs as root: pods in their own network namespaces, where the
 * host's loopback address is not the API server).
 */
class InClusterApiAccessTest {

    private static final Duration DONE = Duration.ofSeconds(60);

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

    private static Pod shellPod(String name, String script, Boolean automountToken) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(automountToken)
                .addNewContainer()
                .withName("main")
                .withImage("bitnami/kubectl")
                .withCommand("sh", "-c", script)
                .endContainer()
                .endSpec()
                .build();
    }

    /** Runs the pod to its end; returns its phase and log. */
    private static String[] runToEnd(Pod pod) {
        String name = pod.getMetadata().getName();
        client.resource(pod).create();
        try {
            await().atMost(DONE)
                    .until(
                            () -> {
                                Pod now = client.pods().withName(name).get();
                                String phase = now.getStatus().getPhase();
                                return "Succeeded".equals(phase) || "Failed".equals(phase);
                            });
            return new String[] {
                client.pods().withName(name).get().getStatus().getPhase(),
                client.pods().withName(name).getLog()
            };
        } finally {
            client.pods().withName(name).withGracePeriod(0).delete();
        }
    }

    @Test
    void theKubernetesServiceLeadsToTheApiServer() {
        Service service = client.services().inNamespace("default").withName("kubernetes").get();
        assertThat(service.getSpec().getClusterIP()).endsWith(".1");
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(port -> assertThat(port.getPort()).isEqualTo(443));
        assertThat(service.getSpec().getSelector()).isNullOrEmpty();
        Endpoints endpoints =
                client.endpoints().inNamespace("default").withName("kubernetes").get();
        assertThat(endpoints.getSubsets().get(0).getPorts().get(0).getPort())
                .isEqualTo(Integer.parseInt(kubernetes.apiServerUrl().replaceAll(".*:", "")));
    }

    @Test
    void kubectlAndThePythonClientInAPodListPodsAsItsServiceAccount() {
        String python =
                "from kubernetes import client, config; config.load_kube_config();"
                        + " print('python sees', client.CoreV1Api()"
                        + ".read_namespaced_pod('inside', 'default').metadata.name)";
        String[] result =
                runToEnd(
                        shellPod(
                                "inside",
                                "set -e; kubectl get pod inside -o name;"
                                        + " /usr/bin/python3 -c \""
                                        + python
                                        + "\";"
                                        + " echo \"namespace file: $(cat"
                                        + " /var/run/secrets/kubernetes.io/serviceaccount/namespace)\";"
                                        + " echo \"server: https://$KUBERNETES_SERVICE_HOST:"
                                        + "$KUBERNETES_SERVICE_PORT\"",
                                null));
        assertThat(result[0]).as(result[1]).isEqualTo("Succeeded");
        assertThat(result[1])
                .contains("pod/inside")
                .contains("python sees inside")
                .contains("namespace file: default")
                .containsPattern("server: https://10\\.96\\.\\d+\\.1:443");
    }

    @Test
    void aForgedServiceAccountTokenIsRefused() {
        String[] result =
                runToEnd(
                        shellPod(
                                "forger",
                                "token=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token);"
                                        + " kubectl get pods --token=\"${token%.*}.forged\"",
                                null));
        assertThat(result[0]).isEqualTo("Failed");
        assertThat(result[1]).contains("Unauthorized");
    }

    @Test
    void withoutAutomountThePodGetsTheServiceButNoCredentials() {
        String[] result =
                runToEnd(
                        shellPod(
                                "no-token",
                                "echo \"kubeconfig=${KUBECONFIG:-none}"
                                        + " host=$KUBERNETES_SERVICE_HOST\";"
                                        + " ls /var/run/secrets/kubernetes.io/serviceaccount"
                                        + " 2>&1 || true",
                                false));
        assertThat(result[0]).isEqualTo("Succeeded");
        assertThat(result[1])
                .contains("kubeconfig=none")
                .containsPattern("host=10\\.96\\.\\d+\\.1")
                .doesNotContain("token");
    }
}
