package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskkubernetes.local.kubelet.ImageConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An image the runtime was told about starts as it would from its config: ENTRYPOINT when the
 * container has no command, CMD when it has no args either, USER when no runAsUser is set (this
 * test runs as root, so the user switch is real).
 */
class KnownImagesTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        kubernetes =
                LocalKubernetes.builder()
                        .image(
                                "registry.example:5000/tools/greeter",
                                new ImageConfig(
                                        List.of("sh", "-c", "echo \"hello $0 from uid $(id -u)\""),
                                        List.of("world"),
                                        4321L))
                        .start();
        client = kubernetes.client();
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    private static String logOf(
            String name, String image, List<String> command, List<String> args) {
        Pod pod =
                new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .addNewContainer()
                        .withName("main")
                        .withImage(image)
                        .withCommand(command)
                        .withArgs(args)
                        .endContainer()
                        .endSpec()
                        .build();
        client.resource(pod).create();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    "Succeeded"
                                            .equals(
                                                    client.pods()
                                                            .withName(name)
                                                            .get()
                                                            .getStatus()
                                                            .getPhase()));
            return client.pods().withName(name).getLog();
        } finally {
            client.pods().withName(name).withGracePeriod(0).delete();
        }
    }

    @Test
    void noCommandRunsTheEntrypointWithTheImagesCmdAsItsUser() {
        assertThat(logOf("cmd", "registry.example:5000/tools/greeter:1.0", List.of(), List.of()))
                .isEqualTo("hello world from uid 4321\n");
    }

    @Test
    void argsReplaceTheCmdAndKeepTheEntrypoint() {
        assertThat(
                        logOf(
                                "args",
                                "registry.example:5000/tools/greeter@sha256:abc",
                                List.of(),
                                List.of("args")))
                .isEqualTo("hello args from uid 4321\n");
    }

    @Test
    void aCommandReplacesTheEntrypoint() {
        assertThat(
                        logOf(
                                "command",
                                "registry.example:5000/tools/greeter",
                                List.of("echo"),
                                List.of("no entrypoint")))
                .isEqualTo("no entrypoint\n");
    }

    @Test
    void theImagesUserWithoutAGroupIsInTheRootGroupAndReadsItsServiceAccountFiles() {
        // As with Docker's USER 4321: gid 0; the runtime's directories must let it through.
        assertThat(
                        logOf(
                                "reader",
                                "registry.example:5000/tools/greeter",
                                List.of(
                                        "sh",
                                        "-c",
                                        "id -u; id -g; cat"
                                                + " /var/run/secrets/kubernetes.io/serviceaccount/namespace"),
                                List.of()))
                .isEqualTo("4321\n0\ndefault");
    }

    @Test
    void repositoryOfDropsTagAndDigestButNotARegistryPort() {
        assertThat(ImageConfig.repositoryOf("ghcr.io/dask/dask:2024.1.0"))
                .isEqualTo("ghcr.io/dask/dask");
        assertThat(ImageConfig.repositoryOf("localhost:5000/operator"))
                .isEqualTo("localhost:5000/operator");
        assertThat(ImageConfig.repositoryOf("localhost:5000/operator:1@sha256:00"))
                .isEqualTo("localhost:5000/operator");
    }
}
