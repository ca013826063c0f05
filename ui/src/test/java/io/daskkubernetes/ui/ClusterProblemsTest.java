package io.daskkubernetes.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.model.DaskLabels;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Problems in words, from plain pods and samples: no Kubernetes, no scheduler. */
class ClusterProblemsTest {

    static final ClusterKey CLASSIC = new ClusterKey(ClusterKey.CLASSIC, "default", "c");

    @Test
    void aHealthyClusterHasNoProblem() {
        assertThat(
                        ClusterProblems.of(
                                CLASSIC,
                                List.of(pod("c-worker-a", "Running", 0, null, null)),
                                Optional.of(scheduler("Running")),
                                1,
                                1,
                                Optional.of(answered())))
                .isEmpty();
    }

    @Test
    void aFailedWorkerIsAProblemUntilTheClusterIsBackAtItsDesiredCount() {
        Pod failed = pod("c-worker-a", "Failed", 0, null, 137);
        List<String> missing =
                ClusterProblems.of(
                        CLASSIC,
                        List.of(failed),
                        Optional.of(scheduler("Running")),
                        1,
                        0,
                        Optional.of(answered()));
        assertThat(missing)
                .containsExactly(
                        "worker pod c-worker-a failed: container dask exited with code 137 (Error);"
                                + " not replaced yet");
        assertThat(ClusterProblems.replaced(failed, 1, 0)).isFalse();

        Pod replacement = pod("c-worker-b", "Running", 0, null, null);
        assertThat(
                        ClusterProblems.of(
                                CLASSIC,
                                List.of(failed, replacement),
                                Optional.of(scheduler("Running")),
                                1,
                                1,
                                Optional.of(answered())))
                .isEmpty();
        assertThat(ClusterProblems.replaced(failed, 1, 1)).isTrue();
    }

    @Test
    void crashLoopingPodsAndAnUnreachableOrFailedSchedulerAreNamed() {
        List<String> problems =
                ClusterProblems.of(
                        CLASSIC,
                        List.of(
                                pod("c-worker-a", "Running", 5, null, null),
                                pod("c-worker-b", "Pending", 1, "CrashLoopBackOff", null)),
                        Optional.of(scheduler("Failed")),
                        2,
                        2,
                        Optional.of(
                                SchedulerSample.unreachable(
                                        Instant.now(),
                                        "tcp://10.96.0.10:8786",
                                        "connection refused")));
        assertThat(problems)
                .containsExactly(
                        "scheduler pod c-scheduler is Failed",
                        "scheduler unreachable at tcp://10.96.0.10:8786: connection refused",
                        "pod c-worker-a is crash-looping (5 restarts of container dask)",
                        "pod c-worker-b is crash-looping (1 restart of container dask)");
    }

    @Test
    void aDaskClusterWithoutSchedulerPodSaysSo() {
        ClusterKey operatorMade = new ClusterKey(ClusterKey.DASK_CLUSTER, "default", "op");
        assertThat(
                        ClusterProblems.of(
                                operatorMade, List.of(), Optional.empty(), 0, 0, Optional.empty()))
                .containsExactly("no scheduler pod");
    }

    private static SchedulerSample answered() {
        return new SchedulerSample(Instant.now(), "tcp://10.96.0.10:8786", null, List.of(), 1, 0);
    }

    private static Pod scheduler(String phase) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("c-scheduler")
                .addToLabels(DaskLabels.COMPONENT, DaskLabels.COMPONENT_SCHEDULER)
                .endMetadata()
                .withNewStatus()
                .withPhase(phase)
                .endStatus()
                .build();
    }

    private static Pod pod(
            String name, String phase, int restarts, String waitingReason, Integer exitCode) {
        ContainerStatusBuilder container =
                new ContainerStatusBuilder().withName("dask").withRestartCount(restarts);
        if (waitingReason != null) {
            container
                    .withNewState()
                    .withNewWaiting()
                    .withReason(waitingReason)
                    .endWaiting()
                    .endState();
        } else if (exitCode != null) {
            container
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(exitCode)
                    .withReason("Error")
                    .endTerminated()
                    .endState();
        } else {
            container.withNewState().withNewRunning().endRunning().endState();
        }
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(DaskLabels.COMPONENT, DaskLabels.COMPONENT_WORKER)
                .endMetadata()
                .withNewStatus()
                .withPhase(phase)
                .withContainerStatuses(container.build())
                .endStatus()
                .build();
    }
}
