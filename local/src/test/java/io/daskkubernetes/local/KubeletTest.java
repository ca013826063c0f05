package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubelet with real processes: commands, env, restart policies, exit codes, logs, graceful
 * deletion.
 */
class KubeletTest {

    private static LocalKubernetes kubernetes;
    private static KubernetesClient client;
    private static String runtimeId;

    @BeforeAll
    static void start() {
        kubernetes = LocalKubernetes.start();
        client = kubernetes.client();
        runtimeId = kubernetes.runtimeId();
    }

    @AfterEach
    void deletePods() {
        client.pods().withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.pods().list().getItems().isEmpty());
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() {
        RuntimeLeftovers.closeAndAssertNothingLeft(kubernetes);
    }

    private static PodBuilder pod(String name, String restartPolicy, String... command) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy(restartPolicy)
                .addNewContainer()
                .withName("main")
                .withImage("ignored")
                .withCommand(command)
                .endContainer()
                .endSpec();
    }

    private static Pod waitForPhase(String name, String phase) {
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            Pod pod = client.pods().withName(name).get();
                            return pod != null && phase.equals(pod.getStatus().getPhase());
                        });
        return client.pods().withName(name).get();
    }

    private static ContainerStatus mainStatus(String name) {
        List<ContainerStatus> statuses =
                client.pods().withName(name).get().getStatus().getContainerStatuses();
        return statuses.isEmpty() ? new ContainerStatus() : statuses.get(0);
    }

    @Test
    void argsAreExpandedLikeTheKubeletDoes() {
        Pod pod =
                pod(
                                "expand",
                                "Never",
                                "/bin/echo",
                                "ip=$(POD_IP)",
                                "var=$(MY_VAR)",
                                "name=$(NAME)",
                                "escaped=$$(MY_VAR)",
                                "unknown=$(NOPE)")
                        .editSpec()
                        .editFirstContainer()
                        .addNewEnv()
                        .withName("POD_IP")
                        .withNewValueFrom()
                        .withNewFieldRef()
                        .withFieldPath("status.podIP")
                        .endFieldRef()
                        .endValueFrom()
                        .endEnv()
                        .addNewEnv()
                        .withName("MY_VAR")
                        .withValue("hello")
                        .endEnv()
                        .addNewEnv()
                        .withName("NAME")
                        .withValue("$(MY_VAR)-$(POD_NAME)")
                        .endEnv()
                        .addNewEnv()
                        .withName("POD_NAME")
                        .withNewValueFrom()
                        .withNewFieldRef()
                        .withFieldPath("metadata.name")
                        .endFieldRef()
                        .endValueFrom()
                        .endEnv()
                        .endContainer()
                        .endSpec()
                        .build();
        client.pods().resource(pod).create();

        Pod done = waitForPhase("expand", "Succeeded");

        String podIp = done.getStatus().getPodIP();
        assertThat(podIp).isNotBlank();
        // NAME refers to POD_NAME, defined after it: left as written, as the kubelet does.
        assertThat(client.pods().withName("expand").getLog())
                .isEqualTo(
                        "ip="
                                + podIp
                                + " var=hello name=hello-$(POD_NAME) escaped=$(MY_VAR) unknown=$(NOPE)\n");
        assertThat(mainStatus("expand").getState().getTerminated().getReason())
                .isEqualTo("Completed");
    }

    @Test
    void withoutCommandTheFirstArgIsTheProgram() {
        Pod pod =
                new PodBuilder()
                        .withNewMetadata()
                        .withName("args-only")
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .addNewContainer()
                        .withName("main")
                        .withArgs("echo", "from args")
                        .endContainer()
                        .endSpec()
                        .build();
        client.pods().resource(pod).create();

        waitForPhase("args-only", "Succeeded");

        assertThat(client.pods().withName("args-only").getLog()).isEqualTo("from args\n");
    }

    @Test
    void neverKeepsAFailedContainerWithItsExitCode() {
        client.pods()
                .resource(pod("fails", "Never", "sh", "-c", "echo bye; exit 3").build())
                .create();

        waitForPhase("fails", "Failed");

        ContainerStatus status = mainStatus("fails");
        assertThat(status.getState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status.getState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(status.getRestartCount()).isZero();
    }

    @Test
    void onFailureRestartsUntilSuccess() {
        // The working directory survives restarts of a container, so the second run finds the
        // marker.
        client.pods()
                .resource(
                        pod(
                                        "flaky",
                                        "OnFailure",
                                        "sh",
                                        "-c",
                                        "if [ -f marker ]; then echo second; exit 0; else touch marker; echo first; exit 1; fi")
                                .build())
                .create();

        waitForPhase("flaky", "Succeeded");

        ContainerStatus status = mainStatus("flaky");
        assertThat(status.getRestartCount()).isEqualTo(1);
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(client.pods().withName("flaky").getLog()).isEqualTo("second\n");
        assertThat(client.pods().withName("flaky").inContainer("main").terminated().getLog())
                .isEqualTo("first\n");
    }

    @Test
    void alwaysRestartsEvenAfterSuccessAndBacksOff() {
        client.pods()
                .resource(pod("looping", "Always", "sh", "-c", "echo run; exit 0").build())
                .create();

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            ContainerStatus status = mainStatus("looping");
                            // The first restart is immediate; after the second exit the kubelet
                            // backs off.
                            return status.getState() != null
                                    && status.getState().getWaiting() != null
                                    && "CrashLoopBackOff"
                                            .equals(status.getState().getWaiting().getReason());
                        });

        ContainerStatus status = mainStatus("looping");
        assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(2);
        assertThat(status.getState().getWaiting().getMessage()).contains("back-off 10s");
        assertThat(status.getLastState().getTerminated().getExitCode()).isZero();
        assertThat(client.pods().withName("looping").get().getStatus().getPhase())
                .isEqualTo("Running");
    }

    @Test
    void aMissingProgramFailsWithAClearReason() {
        client.pods().resource(pod("missing", "Never", "no-such-program-here").build()).create();

        waitForPhase("missing", "Failed");

        ContainerStatus status = mainStatus("missing");
        assertThat(status.getState().getTerminated().getReason()).isEqualTo("StartError");
        assertThat(status.getState().getTerminated().getMessage())
                .contains("no-such-program-here", "not found");
    }

    @Test
    void eachContainerHasItsOwnTmpdirAndWorkingDirectory() {
        for (String name : List.of("scratch-a", "scratch-b")) {
            client.pods()
                    .resource(pod(name, "Never", "sh", "-c", "echo $TMPDIR; pwd").build())
                    .create();
        }
        waitForPhase("scratch-a", "Succeeded");
        waitForPhase("scratch-b", "Succeeded");

        List<String> a = client.pods().withName("scratch-a").getLog().lines().toList();
        List<String> b = client.pods().withName("scratch-b").getLog().lines().toList();

        assertThat(a).hasSize(2).doesNotHaveDuplicates();
        assertThat(a.get(0)).isNotEqualTo(b.get(0));
        assertThat(a.get(1)).isNotEqualTo(b.get(1));
        assertThat(Path.of(a.get(0))).exists();
        client.pods().withName("scratch-a").delete();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Path.of(a.get(0))).doesNotExist());
    }

    @Test
    void deletionSendsSigtermToThePodWhichMayExitEarly() {
        client.pods()
                .resource(
                        pod(
                                        "polite",
                                        "Always",
                                        "sh",
                                        "-c",
                                        "trap 'echo got TERM; exit 0' TERM; echo started; while true; do sleep 0.1; done")
                                .build())
                .create();
        waitForPhase("polite", "Running");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().withName("polite").getLog().contains("started"));

        Instant start = Instant.now();
        client.pods().withName("polite").withGracePeriod(30).delete();
        assertThat(client.pods().withName("polite").get().getMetadata().getDeletionTimestamp())
                .isNotNull();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().withName("polite").get() == null);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aPodIgnoringSigtermIsKilledWhenTheGracePeriodEnds() {
        client.pods()
                .resource(
                        pod(
                                        "stubborn",
                                        "Always",
                                        "sh",
                                        "-c",
                                        "trap '' TERM; echo started; while true; do sleep 0.1; done")
                                .build())
                .create();
        waitForPhase("stubborn", "Running");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().withName("stubborn").getLog().contains("started"));

        Instant start = Instant.now();
        client.pods().withName("stubborn").withGracePeriod(2).delete();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> client.pods().withName("stubborn").get() == null);
        assertThat(Duration.between(start, Instant.now()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(RuntimeLeftovers.processes(runtimeId)).isEmpty();
    }

    @Test
    void logsCanBeTailedAndFollowed() throws Exception {
        client.pods()
                .resource(
                        pod(
                                        "talker",
                                        "Never",
                                        "sh",
                                        "-c",
                                        "for i in 1 2 3 4 5; do echo line $i; sleep 0.3; done")
                                .build())
                .create();
        waitForPhase("talker", "Running");

        ByteArrayOutputStream followed = new ByteArrayOutputStream();
        try (LogWatch ignored = client.pods().withName("talker").watchLog(followed)) {
            waitForPhase("talker", "Succeeded");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> followed.toString(StandardCharsets.UTF_8).contains("line 5"));
        }

        assertThat(followed.toString(StandardCharsets.UTF_8)).contains("line 1", "line 5");
        assertThat(client.pods().withName("talker").tailingLines(2).getLog())
                .isEqualTo("line 4\nline 5\n");
    }

    @Test
    void aMissingConfigMapOrSecretKeyKeepsTheContainerWaitingAndNamesTheKey() {
        client.resource(
                        new PodBuilder(pod("missing-keys", "Never", "sleep", "30").build())
                                .editSpec()
                                .editFirstContainer()
                                .addNewEnv()
                                .withName("FROM_MAP")
                                .withNewValueFrom()
                                .withNewConfigMapKeyRef("colour", "absent-map", null)
                                .endValueFrom()
                                .endEnv()
                                .endContainer()
                                .endSpec()
                                .build())
                .create();
        client.resource(
                        new PodBuilder(pod("missing-secret", "Never", "sleep", "30").build())
                                .editSpec()
                                .editFirstContainer()
                                .addNewEnv()
                                .withName("FROM_SECRET")
                                .withNewValueFrom()
                                .withNewSecretKeyRef("token", "absent-secret", null)
                                .endValueFrom()
                                .endEnv()
                                .endContainer()
                                .endSpec()
                                .build())
                .create();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            assertThat(waiting("missing-keys"))
                                    .isNotNull()
                                    .satisfies(
                                            waiting -> {
                                                assertThat(waiting.getReason())
                                                        .isEqualTo("CreateContainerConfigError");
                                                assertThat(waiting.getMessage())
                                                        .isEqualTo(
                                                                "couldn't find key colour in"
                                                                        + " ConfigMap default/absent-map"
                                                                        + " (env FROM_MAP of container"
                                                                        + " main)");
                                            });
                            assertThat(waiting("missing-secret"))
                                    .isNotNull()
                                    .extracting(w -> w.getMessage())
                                    .isEqualTo(
                                            "couldn't find key token in Secret"
                                                    + " default/absent-secret (env FROM_SECRET of"
                                                    + " container main)");
                        });
    }

    @Test
    void aFailingReadinessProbeIsAnUnhealthyEventAndTheContainerIsNotReady() {
        client.resource(
                        new PodBuilder(pod("never-ready", "Never", "sleep", "30").build())
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
                                .build())
                .create();

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                client.v1().events().list().getItems().stream()
                                        .anyMatch(
                                                e ->
                                                        "never-ready"
                                                                        .equals(
                                                                                e.getInvolvedObject()
                                                                                        .getName())
                                                                && "Unhealthy".equals(e.getReason())
                                                                && e.getMessage()
                                                                        .startsWith(
                                                                                "Readiness probe"
                                                                                        + " failed:")));
        assertThat(mainStatus("never-ready").getReady()).isFalse();
    }

    /** The main container's waiting state, null while it has none (or no status yet). */
    private static io.fabric8.kubernetes.api.model.ContainerStateWaiting waiting(String pod) {
        ContainerStatus status = mainStatus(pod);
        return status.getState() == null ? null : status.getState().getWaiting();
    }
}
