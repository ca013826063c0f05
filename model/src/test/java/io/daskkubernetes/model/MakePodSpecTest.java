package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MakePodSpecTest {

    @Test
    void buildsClassicWorkerPod() {
        Pod pod =
                MakePodSpec.builder()
                        .image("ghcr.io/dask/dask:2022.12.1")
                        .threadsPerWorker(2)
                        .memoryLimit("4G")
                        .memoryRequest("2G")
                        .cpuLimit("2")
                        .cpuRequest("1")
                        .gpuLimit(1)
                        .env(Map.of("EXTRA_PIP_PACKAGES", "s3fs"))
                        .labels(Map.of("team", "data"))
                        .annotations(Map.of("note", "x"))
                        .build();

        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getName()).isEqualTo("dask-container");
        assertThat(container.getArgs())
                .containsExactly(
                        "dask-worker",
                        "$(DASK_SCHEDULER_ADDRESS)",
                        "--nthreads",
                        "2",
                        "--death-timeout",
                        "60",
                        "--memory-limit",
                        "4G");
        assertThat(container.getResources().getLimits())
                .containsEntry("memory", new Quantity("4G"))
                .containsEntry("cpu", new Quantity("2"))
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(container.getResources().getRequests())
                .containsEntry("memory", new Quantity("2G"))
                .containsEntry("cpu", new Quantity("1"));
        assertThat(container.getEnv())
                .containsExactly(new EnvVar("EXTRA_PIP_PACKAGES", "s3fs", null));
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getTolerations()).hasSize(2);
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "data");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("note", "x");
    }

    @Test
    void withoutMemoryLimitThereIsNoMemoryFlag() {
        Pod pod = MakePodSpec.builder().image("img").build();
        assertThat(pod.getSpec().getContainers().get(0).getArgs())
                .containsExactly(
                        "dask-worker",
                        "$(DASK_SCHEDULER_ADDRESS)",
                        "--nthreads",
                        "1",
                        "--death-timeout",
                        "60");
    }

    @Test
    void extraConfigIsDeepMergedMapsMergedListsAppendedScalarsReplaced() {
        Pod pod =
                MakePodSpec.builder()
                        .image("img")
                        .memoryLimit("1G")
                        .env(Map.of("A", "1"))
                        .extraContainerConfig(
                                Map.of(
                                        "imagePullPolicy", "Always",
                                        "env", List.of(Map.of("name", "B", "value", "2")),
                                        "resources", Map.of("limits", Map.of("cpu", "1"))))
                        .extraPodConfig(
                                Map.of(
                                        "automountServiceAccountToken",
                                        false,
                                        "restartPolicy",
                                        "OnFailure",
                                        "tolerations",
                                        List.of(Map.of("key", "gpu", "operator", "Exists"))))
                        .build();

        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getImagePullPolicy()).isEqualTo("Always");
        assertThat(container.getEnv()).extracting(EnvVar::getName).containsExactly("A", "B");
        assertThat(container.getResources().getLimits()).containsOnlyKeys("memory", "cpu");
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("OnFailure");
        assertThat(pod.getSpec().getTolerations()).hasSize(3);
        assertThat(pod.getSpec().getTolerations().get(2).getKey()).isEqualTo("gpu");
    }

    @Test
    void unknownExtraFieldIsNamed() {
        assertThatThrownBy(
                        () ->
                                MakePodSpec.builder()
                                        .image("img")
                                        .extraContainerConfig(Map.of("image_pull_policy", "Always"))
                                        .build())
                .isInstanceOf(SpecException.class)
                .hasMessage(
                        "make_pod_spec: spec.containers[0].image_pull_policy: is not a field of Container; "
                                + "Kubernetes spells it imagePullPolicy");
    }
}
