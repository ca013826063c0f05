package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodTemplatesTest {

    @TempDir Path dir;

    static Path seedSpec() {
        return Path.of("src/test/resources/spec/worker-spec.yml");
    }

    /** The seed's spec as a template; reading the file is the test's business, not the model's. */
    static Pod seedTemplate() {
        return fromFile(seedSpec(), Map.of());
    }

    private static Pod fromFile(Path file, Map<String, String> env) {
        try {
            return PodTemplates.fromYamlString(Files.readString(file), file.toString(), env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void readsTheSeedSpec() {
        Pod pod = seedTemplate();

        assertThat(pod.getKind()).isEqualTo("Pod");
        assertThat(pod.getMetadata().getLabels()).containsEntry("foo", "bar");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getContainers()).hasSize(1);
        assertThat(pod.getSpec().getContainers().get(0).getArgs())
                .containsExactly(
                        "dask-worker",
                        "--nthreads",
                        "2",
                        "--no-bokeh",
                        "--memory-limit",
                        "6GB",
                        "--death-timeout",
                        "60");
        assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("memory", new Quantity("6G"));
    }

    @Test
    void expandsEnvironmentVariablesLikeExpandvarsButNotKubernetesReferences() throws IOException {
        Path file =
                Files.writeString(
                        dir.resolve("spec.yml"),
                        """
                kind: Pod
                spec:
                  containers:
                  - name: dask
                    image: $REGISTRY/dask:${TAG}
                    args: [dask-worker, $(DASK_SCHEDULER_ADDRESS), --local-directory, $UNSET_VARIABLE]
                """);

        Pod pod = fromFile(file, Map.of("REGISTRY", "registry.example", "TAG", "2022.12.1"));

        assertThat(pod.getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example/dask:2022.12.1");
        assertThat(pod.getSpec().getContainers().get(0).getArgs())
                .containsExactly(
                        "dask-worker",
                        "$(DASK_SCHEDULER_ADDRESS)",
                        "--local-directory",
                        "$UNSET_VARIABLE");
    }

    @Test
    void returnsDeepCopies() {
        Pod original = seedTemplate();
        Pod copy = PodTemplates.fromPod(original);
        copy.getSpec().getContainers().get(0).getArgs().add("--extra");
        copy.getMetadata().getLabels().put("changed", "yes");

        assertThat(original.getSpec().getContainers().get(0).getArgs()).doesNotContain("--extra");
        assertThat(original.getMetadata().getLabels()).doesNotContainKey("changed");
        assertThat(PodTemplates.fromPod(original)).isEqualTo(original).isNotSameAs(original);
    }

    @Test
    void readsMapsAsMakePodFromDict() {
        Pod pod =
                PodTemplates.fromMap(
                        Map.of(
                                "spec",
                                Map.of(
                                        "containers",
                                        List.of(
                                                Map.of(
                                                        "name",
                                                        "w",
                                                        "image",
                                                        "img",
                                                        "args",
                                                        List.of("dask-worker"))))));
        assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("img");
    }

    @Test
    void unknownFieldsAreNamedWithTheKubernetesSpelling() {
        assertThatThrownBy(
                        () ->
                                PodTemplates.fromYamlString(
                                        """
                kind: Pod
                spec:
                  restart_policy: Never
                  containers: [{name: w, image: i}]
                """,
                                        "old-spec.yml"))
                .isInstanceOf(SpecException.class)
                .hasMessage(
                        "old-spec.yml: spec.restart_policy: is not a field of PodSpec; Kubernetes spells it restartPolicy")
                .satisfies(
                        e -> {
                            SpecException spec = (SpecException) e;
                            assertThat(spec.source()).isEqualTo("old-spec.yml");
                            assertThat(spec.fieldPath()).isEqualTo("spec.restart_policy");
                        });
    }
}
