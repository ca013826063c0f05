package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A runtime running as root starts containers as their securityContext's user and groups. */
class RunAsUserTest {

    private static final String REPORT =
            "id -u; id -g; id -G; echo HOME=$HOME; touch \"$TMPDIR/x\" && echo tmp-ok;"
                    + " touch work-file && echo work-ok";

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        assumeTrue(RootCheck.isRoot(), "only a runtime running as root can switch users");
        kubernetes = LocalKubernetes.builder().podNetwork(PodNetworkMode.HOST).start();
        client = kubernetes.client();
    }

    @AfterEach
    void deletePods() {
        if (client != null) {
            client.pods().withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> client.pods().list().getItems().isEmpty());
        }
    }

    @AfterAll
    static void stop() {
        if (kubernetes != null) {
            RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
        }
    }

    private static Pod pod(String name, PodSecurityContext podContext, SecurityContext context) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withSecurityContext(podContext)
                .addNewContainer()
                .withName("main")
                .withImage("ignored")
                .withCommand("sh", "-c", REPORT)
                .withSecurityContext(context)
                .endContainer()
                .endSpec()
                .build();
    }

    private static String logOfFinished(Pod pod) {
        client.pods().resource(pod).create();
        String name = pod.getMetadata().getName();
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                List.of("Succeeded", "Failed")
                                        .contains(
                                                client.pods()
                                                        .withName(name)
                                                        .get()
                                                        .getStatus()
                                                        .getPhase()));
        Pod finished = client.pods().withName(name).get();
        String log = client.pods().withName(name).getLog();
        assertThat(finished.getStatus().getPhase())
                .as("%s; log: %s", finished.getStatus(), log)
                .isEqualTo("Succeeded");
        return log;
    }

    @Test
    void runsAsTheContainersUserAndGroupWithItsOwnDirectories() {
        String log =
                logOfFinished(
                        pod(
                                "nobody",
                                null,
                                new SecurityContextBuilder()
                                        .withRunAsUser(65534L)
                                        .withRunAsGroup(65534L)
                                        .build()));

        assertThat(log.lines())
                .containsExactly(
                        "65534", "65534", "65534", "HOME=/nonexistent", "tmp-ok", "work-ok");
    }

    @Test
    void theContainersContextWinsAndThePodGivesGroupsAndSupplementalGroups() {
        String log =
                logOfFinished(
                        pod(
                                "numbers",
                                new PodSecurityContextBuilder()
                                        .withRunAsUser(1111L)
                                        .withRunAsGroup(4321L)
                                        .withSupplementalGroups(5000L)
                                        .build(),
                                new SecurityContextBuilder().withRunAsUser(1234L).build()));

        assertThat(log.lines()).startsWith("1234", "4321", "4321 5000", "HOME=/");
        assertThat(log).contains("tmp-ok").contains("work-ok");
    }

    @Test
    void execProbesRunAsTheContainersUserToo() {
        Pod pod =
                new PodBuilder(
                                pod(
                                        "probed",
                                        null,
                                        new SecurityContextBuilder().withRunAsUser(65534L).build()))
                        .editSpec()
                        .editFirstContainer()
                        .withCommand("sleep", "300")
                        .withNewReadinessProbe()
                        .withNewExec()
                        .withCommand("sh", "-c", "test \"$(id -u)\" = 65534")
                        .endExec()
                        .withPeriodSeconds(1)
                        .endReadinessProbe()
                        .endContainer()
                        .endSpec()
                        .build();
        client.pods().resource(pod).create();

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                client
                                        .pods()
                                        .withName("probed")
                                        .get()
                                        .getStatus()
                                        .getContainerStatuses()
                                        .stream()
                                        .allMatch(
                                                status -> Boolean.TRUE.equals(status.getReady())));
    }

    @Test
    void withoutAContextItRunsAsTheRuntimesUser() {
        String log = logOfFinished(pod("root", null, null));

        assertThat(log.lines()).startsWith("0", "0");
    }

    @Test
    void runAsNonRootWithoutAUserIsAConfigError() {
        client.pods()
                .resource(
                        pod(
                                "nonroot",
                                new PodSecurityContextBuilder().withRunAsNonRoot(true).build(),
                                null))
                .create();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(
                                                client.pods()
                                                        .withName("nonroot")
                                                        .get()
                                                        .getStatus()
                                                        .getContainerStatuses())
                                        .singleElement()
                                        .satisfies(
                                                status ->
                                                        assertThat(
                                                                        status.getState()
                                                                                .getWaiting()
                                                                                .getReason())
                                                                .isEqualTo(
                                                                        "CreateContainerConfigError")));
    }
}
