package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The scheduler pod carries the lease-aware idle check and the lease's duration. */
class SchedulerLeaseTest {

    private final ClusterModel model =
            ClusterModel.of(
                    new ClusterSettings(
                            "c1",
                            "dask",
                            java.util.Optional.empty(),
                            PodTemplates.fromYamlString(
                                    """
                                    kind: Pod
                                    spec:
                                      containers:
                                      - name: dask
                                        image: ghcr.io/dask/dask:latest
                                        args: [dask-worker, --nthreads, '1', --death-timeout, '60']
                                    """,
                                    "test"),
                            java.util.Optional.empty(),
                            null,
                            null,
                            0,
                            java.util.OptionalInt.empty(),
                            Map.of(),
                            DeployMode.REMOTE,
                            "ClusterIP",
                            java.util.Optional.of(Duration.ofSeconds(5)),
                            Duration.ofSeconds(30),
                            AffinityMode.PREFERRED,
                            DashboardLink.DEFAULT_TEMPLATE,
                            false,
                            List.of()),
                    "default",
                    new Random(1));

    @Test
    void theSchedulerGetsThePreloadTheDurationItsIdleTimeoutAndRestartPolicyNever()
            throws Exception {
        Pod pod = SchedulerLease.decorate(model.schedulerPod(), Duration.ofSeconds(7));

        Container container = pod.getSpec().getContainers().get(0);
        Map<String, String> env = env(container);
        assertThat(env).containsEntry(SchedulerLease.DURATION_ENV, "7");
        List<Object> preload =
                new ObjectMapper()
                        .readValue(
                                env.get(SchedulerLease.PRELOAD_ENV),
                                new com.fasterxml.jackson.core.type.TypeReference<
                                        List<Object>>() {});
        assertThat(preload).containsExactly((Object) SchedulerLease.PRELOAD);
        assertThat(SchedulerLease.PRELOAD)
                .as("a script (Dask reads text with spaces as one), ASCII for the literal")
                .contains("def dask_setup(scheduler)")
                .contains("scheduler.handlers[\"" + SchedulerLease.RENEW_OP + "\"]")
                .contains("scheduler.periodic_callbacks[\"idle-timeout\"]")
                .matches("\\p{ASCII}*");
        assertThat(container.getArgs()).containsSequence("--idle-timeout", "5s");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(env(model.schedulerPod().getSpec().getContainers().get(0)))
                .as("the model's pod is not changed")
                .doesNotContainKey(SchedulerLease.PRELOAD_ENV);
    }

    @Test
    void aPreloadOfTheUsersWins() {
        Pod template = model.schedulerPod();
        PodDecoration.setEnv(
                template.getSpec().getContainers().get(0), SchedulerLease.PRELOAD_ENV, "mine");

        Pod pod = SchedulerLease.decorate(template, Duration.ofSeconds(7));

        assertThat(env(pod.getSpec().getContainers().get(0)))
                .containsEntry(SchedulerLease.PRELOAD_ENV, "mine")
                .doesNotContainKey(SchedulerLease.DURATION_ENV);
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));
    }
}
