package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The garbage collector (owner references, namespaces) and kubectl against the runtime. */
class ControllersAndKubectlTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.start();
        client = kubernetes.client();
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    private static OwnerReference ownedBy(io.fabric8.kubernetes.api.model.HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .build();
    }

    @Test
    void deletingAnOwnerDeletesItsDependentsDownTheChain() {
        ConfigMap owner =
                client.configMaps()
                        .resource(
                                new ConfigMapBuilder()
                                        .withNewMetadata()
                                        .withName("owner")
                                        .endMetadata()
                                        .build())
                        .create();
        ConfigMap middle =
                client.configMaps()
                        .resource(
                                new ConfigMapBuilder()
                                        .withNewMetadata()
                                        .withName("middle")
                                        .withOwnerReferences(ownedBy(owner))
                                        .endMetadata()
                                        .build())
                        .create();
        client.pods()
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName("dependent")
                                .withOwnerReferences(ownedBy(middle))
                                .endMetadata()
                                .withNewSpec()
                                .withTerminationGracePeriodSeconds(5L)
                                .addNewContainer()
                                .withName("main")
                                .withCommand("sleep", "600")
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        client.services()
                .resource(
                        new ServiceBuilder()
                                .withNewMetadata()
                                .withName("dependent")
                                .withOwnerReferences(ownedBy(owner))
                                .endMetadata()
                                .withNewSpec()
                                .addNewPort()
                                .withPort(80)
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
                                                        .withName("dependent")
                                                        .get()
                                                        .getStatus()
                                                        .getPhase()));

        client.configMaps().withName("owner").delete();

        await().atMost(Duration.ofSeconds(15))
                .until(
                        () ->
                                client.pods().withName("dependent").get() == null
                                        && client.services().withName("dependent").get() == null
                                        && client.configMaps().withName("middle").get() == null);
    }

    @Test
    void deletingANamespaceDeletesWhatIsInIt() {
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("doomed")
                                .endMetadata()
                                .build())
                .create();
        client.configMaps()
                .inNamespace("doomed")
                .resource(
                        new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("inside")
                                .endMetadata()
                                .build())
                .create();
        // The collector must have seen the namespace before it goes.
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);

        client.namespaces().withName("doomed").delete();

        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                client.configMaps().inNamespace("doomed").withName("inside").get()
                                        == null);
    }

    private static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "/usr/bin/kubectl",
                                "--kubeconfig",
                                kubernetes.kubeconfig().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
            assertThat(process.exitValue())
                    .as("kubectl " + String.join(" ", args) + ": " + output)
                    .isZero();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void kubectlListsEndpointsWithTheirAddressesAsARealApiServerPrintsThem() throws Exception {
        client.resource(
                        new io.fabric8.kubernetes.api.model.EndpointsBuilder()
                                .withNewMetadata()
                                .withName("four-backends")
                                .endMetadata()
                                .addNewSubset()
                                .addNewAddress()
                                .withIp("10.1.0.1")
                                .endAddress()
                                .addNewAddress()
                                .withIp("10.1.0.2")
                                .endAddress()
                                .addNewPort()
                                .withName("a")
                                .withPort(80)
                                .endPort()
                                .addNewPort()
                                .withName("b")
                                .withPort(81)
                                .endPort()
                                .endSubset()
                                .build())
                .create();
        client.resource(
                        new io.fabric8.kubernetes.api.model.EndpointsBuilder()
                                .withNewMetadata()
                                .withName("no-backends")
                                .endMetadata()
                                .build())
                .create();

        String listed = kubectl("get", "endpoints", "four-backends", "no-backends");

        assertThat(listed)
                .containsPattern("NAME +ENDPOINTS +AGE")
                .containsPattern(
                        "four-backends +10.1.0.1:80,10.1.0.2:80,10.1.0.1:81 \\+ 1 more\\.\\.\\. ")
                .containsPattern("no-backends +<none> ");
    }

    @Test
    void kubectlAppliesGetsLogsAndDeletesAPod() throws Exception {
        Path manifest = Files.createTempFile("pod", ".yaml");
        try {
            Files.writeString(
                    manifest,
                    String.join(
                            "\n",
                            "apiVersion: v1",
                            "kind: Pod",
                            "metadata:",
                            "  name: from-kubectl",
                            "spec:",
                            "  containers:",
                            "  - name: main",
                            "    image: busybox",
                            "    command: [sh, -c, 'echo hello from kubectl; sleep 600']",
                            ""));

            assertThat(kubectl("apply", "--validate=false", "-f", manifest.toString()))
                    .contains("pod/from-kubectl");
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    client.pods()
                                            .withName("from-kubectl")
                                            .getLog()
                                            .contains("hello from kubectl"));

            assertThat(kubectl("get", "pods")).containsPattern("from-kubectl +1/1 +Running +0 ");
            assertThat(kubectl("get", "pods", "-o", "wide"))
                    .contains(
                            client.pods().withName("from-kubectl").get().getStatus().getPodIP(),
                            "local");
            assertThat(kubectl("get", "pod", "from-kubectl", "-o", "jsonpath={.status.phase}"))
                    .isEqualTo("Running");
            assertThat(kubectl("get", "pod", "from-kubectl", "-o", "jsonpath={.status.podIP}"))
                    .isEqualTo(client.pods().withName("from-kubectl").get().getStatus().getPodIP());
            assertThat(kubectl("logs", "from-kubectl")).isEqualTo("hello from kubectl\n");
            assertThat(kubectl("delete", "pod", "from-kubectl", "--grace-period=1"))
                    .contains("deleted");
            assertThat(client.pods().withName("from-kubectl").get()).isNull();
        } finally {
            Files.deleteIfExists(manifest);
        }
    }
}
