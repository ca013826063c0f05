package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.config.ClusterSettingsResolver;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The objects of a cluster built from the seed's worker-spec.yml and from MakePodSpec, compared
 * with reviewed YAML in src/test/resources/golden. After an intended change, regenerate with {@code
 * -Dgolden.update=true} and review the diff.
 */
class ClusterModelGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static ClusterModel model(Pod template) {
        ClusterSettings spec =
                ClusterSettingsResolver.of(DaskConfig.defaultsOnly())
                        .workerTemplate(template)
                        .user("jovyan")
                        .environment(Map.of())
                        .uuid(() -> "0a1b2c3d-e")
                        .env(Map.of("EXTRA_CONDA_PACKAGES", "s3fs"))
                        .resolve();
        ConfigMap createdOwner =
                new ConfigMapBuilder(ClusterModel.of(spec, "default", new Random(0)).owner())
                        .editMetadata()
                        .withUid("8f9c1d3e-0000-4000-8000-000000000001")
                        .endMetadata()
                        .build();
        return ClusterModel.of(spec, "default", new Random(42)).ownedBy(createdOwner);
    }

    static Stream<Arguments> objects() {
        ClusterModel seed =
                model(
                        PodTemplateFiles.read(
                                Path.of("src/test/resources/spec/worker-spec.yml"), Map.of()));
        ClusterModel made =
                model(
                        MakePodSpec.builder()
                                .image("ghcr.io/dask/dask:2022.12.1")
                                .threadsPerWorker(2)
                                .memoryLimit("4G")
                                .memoryRequest("4G")
                                .cpuLimit("2")
                                .cpuRequest("1")
                                .labels(Map.of("team", "analytics"))
                                .extraPodConfig(Map.of("automountServiceAccountToken", false))
                                .build());
        return Stream.of(
                Arguments.of("seed-worker-pod.yaml", seed.workerPod(seed.newWorkerName())),
                Arguments.of("seed-scheduler-pod.yaml", seed.schedulerPod()),
                Arguments.of("seed-service.yaml", seed.schedulerService()),
                Arguments.of("seed-owner.yaml", seed.owner()),
                Arguments.of("seed-pdb.yaml", seed.podDisruptionBudget().orElseThrow()),
                Arguments.of("make-pod-spec-worker-pod.yaml", made.workerPod(made.newWorkerName())),
                Arguments.of("make-pod-spec-scheduler-pod.yaml", made.schedulerPod()),
                Arguments.of("make-pod-spec-service.yaml", made.schedulerService()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objects")
    void matchesGoldenYaml(String file, Object object) throws IOException {
        String actual = KubernetesJson.SERIALIZATION.asYaml(object);
        Path golden = GOLDEN.resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(golden));
    }
}
