package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secret volumes in the kubelet: a container finds the Secret's keys as files at its mount path (as
 * the container sees it: through its command and environment), with Kubernetes' modes, and waits
 * while the Secret is missing.
 */
class SecretVolumeTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.start();
        client = kubernetes.client();
    }

    @AfterEach
    void deletePodsAndSecrets() {
        client.pods().withGracePeriod(0).delete();
        client.secrets().delete();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.pods().list().getItems().isEmpty());
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    private static void createSecret(String name) {
        client.resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .addToStringData("token", "s3cr3t")
                                .addToStringData("ca.crt", "CERT")
                                .build())
                .create();
    }

    private static Pod podMounting(String name, String secret, Integer itemMode) {
        PodBuilder pod =
                new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .addNewContainer()
                        .withName("main")
                        .withImage("ignored")
                        .withCommand(
                                "/bin/sh",
                                "-c",
                                "cat /etc/app-secret/token; echo; cat $CA_FILE; echo;"
                                        + " stat -c %a /etc/app-secret/token /etc/app-secret/ca.crt")
                        .addNewEnv()
                        .withName("CA_FILE")
                        .withValue("/etc/app-secret/ca.crt")
                        .endEnv()
                        .addNewVolumeMount()
                        .withName("app")
                        .withMountPath("/etc/app-secret")
                        .withReadOnly(true)
                        .endVolumeMount()
                        .endContainer()
                        .addNewVolume()
                        .withName("app")
                        .withNewSecret()
                        .withSecretName(secret)
                        .endSecret()
                        .endVolume()
                        .endSpec();
        if (itemMode != null) {
            pod.editSpec()
                    .editFirstVolume()
                    .editSecret()
                    .addNewItem()
                    .withKey("token")
                    .withPath("token")
                    .withMode(itemMode)
                    .endItem()
                    .addNewItem()
                    .withKey("ca.crt")
                    .withPath("ca.crt")
                    .endItem()
                    .endSecret()
                    .endVolume()
                    .endSpec();
        }
        return pod.build();
    }

    private static String logWhenSucceeded(String name) {
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            Pod pod = client.pods().withName(name).get();
                            return pod != null
                                    && pod.getStatus() != null
                                    && List.of("Succeeded", "Failed")
                                            .contains(pod.getStatus().getPhase());
                        });
        String log = client.pods().withName(name).getLog();
        assertThat(client.pods().withName(name).get().getStatus().getPhase())
                .as("pod %s, log: %s", name, log)
                .isEqualTo("Succeeded");
        return log;
    }

    @Test
    void theSecretsKeysAreFilesAtTheMountPath() {
        createSecret("app-secret");
        client.resource(podMounting("reads-secret", "app-secret", null)).create();

        assertThat(logWhenSucceeded("reads-secret").lines())
                .containsExactly("s3cr3t", "CERT", "644", "644");
    }

    @Test
    void itemsChooseTheFilesAndTheirModes() {
        createSecret("app-secret");
        client.resource(podMounting("reads-items", "app-secret", 0400)).create();

        assertThat(logWhenSucceeded("reads-items").lines())
                .containsExactly("s3cr3t", "CERT", "400", "644");
    }

    @Test
    void aMissingSecretKeepsTheContainerWaitingUntilItExists() {
        client.resource(podMounting("waits-for-secret", "late-secret", null)).create();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            List<ContainerStatus> statuses =
                                    client.pods()
                                            .withName("waits-for-secret")
                                            .get()
                                            .getStatus()
                                            .getContainerStatuses();
                            assertThat(statuses).isNotEmpty();
                            assertThat(statuses.get(0).getState().getWaiting()).isNotNull();
                            assertThat(statuses.get(0).getState().getWaiting().getMessage())
                                    .contains("secret \"late-secret\" not found");
                        });

        createSecret("late-secret");

        assertThat(logWhenSucceeded("waits-for-secret").lines()).startsWith("s3cr3t");
    }
}
