package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Startup probes as the kubelet runs them: liveness and readiness wait until the startup probe has
 * passed (a slow starter is not killed by its liveness probe), and a startup probe that keeps
 * failing kills the container.
 */
class StartupProbeTest {

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

    private static Probe fileExists(int failureThreshold) {
        return new ProbeBuilder()
                .withNewExec()
                .withCommand("test", "-f", "started")
                .endExec()
                .withPeriodSeconds(1)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /** Writes ./started after {@code delay} seconds (never when negative), then sleeps. */
    private static Pod slowStarter(String name, int delay, Probe startup) {
        String script =
                delay < 0 ? "exec sleep 300" : "sleep " + delay + "; touch started; exec sleep 300";
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withCommand("sh", "-c", script)
                .withStartupProbe(startup)
                // alone, this would kill the container before it writes the file
                .withLivenessProbe(fileExists(1))
                .withReadinessProbe(fileExists(1))
                .endContainer()
                .endSpec()
                .build();
    }

    private static ContainerStatus status(String name) {
        Pod pod = client.pods().withName(name).get();
        return pod.getStatus().getContainerStatuses() == null
                        || pod.getStatus().getContainerStatuses().isEmpty()
                ? null
                : pod.getStatus().getContainerStatuses().get(0);
    }

    @Test
    void livenessWaitsForTheStartupProbe() {
        client.resource(slowStarter("slow", 3, fileExists(30))).create();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    status("slow") != null
                                            && "Running"
                                                    .equals(
                                                            client.pods()
                                                                    .withName("slow")
                                                                    .get()
                                                                    .getStatus()
                                                                    .getPhase()));
            assertThat(status("slow").getStarted())
                    .as("not started before its startup probe passes")
                    .isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> status("slow").getReady());
            assertThat(status("slow").getStarted()).isTrue();
            assertThat(status("slow").getRestartCount()).isZero();
        } finally {
            client.pods().withName("slow").withGracePeriod(0).delete();
        }
    }

    @Test
    void aStartupProbeThatKeepsFailingKillsTheContainer() {
        client.resource(slowStarter("never", -1, fileExists(2))).create();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> status("never") != null && status("never").getRestartCount() >= 1);
            assertThat(
                            client.v1()
                                    .events()
                                    .inNamespace("default")
                                    .withField("involvedObject.name", "never")
                                    .list()
                                    .getItems())
                    .anySatisfy(
                            event ->
                                    assertThat(event.getMessage())
                                            .contains("failed startup probe"));
        } finally {
            client.pods().withName("never").withGracePeriod(0).delete();
        }
    }
}
