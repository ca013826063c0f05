package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime's JVM killed with SIGKILL while its pods run: its watchdog removes every process,
 * network namespace, link, /etc/netns entry and the state directory within 10 s, without another
 * runtime starting, and a second runtime in another slot keeps its pods running untouched.
 */
class KilledRuntimeTest {

    private Path logs;
    private ChildRuntime killed;
    private ChildRuntime survivor;

    @BeforeEach
    void startTwoRuntimes() throws Exception {
        assumeTrue(RootCheck.isRoot(), "pod network namespaces need root");
        logs = Files.createTempDirectory("killed-runtime-test-");
        killed = ChildRuntime.start(PodNetworkMode.NAMESPACES, false, logs.resolve("killed.log"));
        survivor =
                ChildRuntime.start(PodNetworkMode.NAMESPACES, false, logs.resolve("survivor.log"));
    }

    @AfterEach
    void stopAndCheck() throws Exception {
        if (survivor != null) {
            survivor.close();
            RuntimeLeftovers.assertNothingLeft(
                    survivor.runtimeId, survivor.networkPrefix, survivor.stateDirectory);
        }
        if (killed != null) {
            killed.close();
        }
        if (logs != null) {
            try (var files = Files.list(logs)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(logs);
        }
    }

    static Pod sleeper(String name) {
        // A shell with a child: the pod's process group has more than one process.
        return pod(name, "sleep 3000 & wait");
    }

    static Pod pod(String name, String script) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("main")
                .withImage("ignored")
                .withCommand("sh", "-c", script)
                .endContainer()
                .endSpec()
                .build();
    }

    static void runPods(KubernetesClient client, String... names) {
        for (String name : names) {
            client.pods().resource(sleeper(name)).create();
        }
        awaitRunning(client, names);
    }

    static void awaitRunning(KubernetesClient client, String... names) {
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                client.pods().list().getItems().stream()
                                                .filter(
                                                        p ->
                                                                "Running"
                                                                        .equals(
                                                                                p.getStatus()
                                                                                        .getPhase()))
                                                .count()
                                        == names.length);
    }

    @Test
    void aKilledRuntimeLeavesNothingWithin10SecondsAndTheOtherRuntimeRunsOn() throws Exception {
        assertThat(killed.networkPrefix).isNotEqualTo(survivor.networkPrefix);
        runPods(killed.client(), "a", "b");
        runPods(survivor.client(), "c", "d");
        List<Long> survivorProcesses = RuntimeLeftovers.processes(survivor.runtimeId);
        assertThat(RuntimeLeftovers.processes(killed.runtimeId)).hasSizeGreaterThanOrEqualTo(4);
        assertThat(RuntimeLeftovers.networkNamespaces(killed.networkPrefix)).hasSize(2);

        long killedAt = System.nanoTime();
        killed.killJvm();

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(
                        () ->
                                RuntimeLeftovers.assertNothingLeftEvenIfSlotTaken(
                                        killed.runtimeId,
                                        killed.networkPrefix,
                                        killed.stateDirectory));
        System.out.printf(
                "killed runtime gone in %d ms%n", (System.nanoTime() - killedAt) / 1_000_000);

        assertThat(survivorProcesses).allMatch(pid -> ProcessHandle.of(pid).isPresent());
        assertThat(RuntimeLeftovers.processes(survivor.runtimeId))
                .containsExactlyInAnyOrderElementsOf(survivorProcesses);
        assertThat(RuntimeLeftovers.networkNamespaces(survivor.networkPrefix)).hasSize(2);
        assertThat(survivor.client().pods().list().getItems())
                .extracting(p -> p.getStatus().getPhase())
                .containsOnly("Running");
    }
}
