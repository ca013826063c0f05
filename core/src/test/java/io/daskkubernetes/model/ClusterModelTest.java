package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.config.ClusterSettingsResolver;
import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.config.PodTemplateFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ClusterModelTest {

    private static ClusterSettingsResolver spec() {
        return ClusterSettingsResolver.of(DaskConfig.defaultsOnly())
                .workerTemplate(
                        PodTemplateFiles.read(
                                Path.of("src/test/resources/spec/worker-spec.yml"), Map.of()))
                .user("jovyan")
                .environment(Map.of())
                .uuid(() -> "0a1b2c3d-e");
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElse(null);
    }

    @Test
    void workerNamesAreUniqueEvenWhenTheRandomSourceRepeats() {
        // a source that gives each suffix twice in a row: aaaaa, aaaaa, bbbbb, bbbbb, ...
        RandomGenerator repeating =
                new RandomGenerator() {
                    private int draws;

                    @Override
                    public long nextLong() {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public int nextInt(int bound) {
                        return (draws++ / 5 / 2) % bound;
                    }
                };
        ClusterModel model = ClusterModel.of(spec().resolve(), "default", repeating);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String name = model.newWorkerName();
            assertThat(name).matches("dask-jovyan-0a1b2c3d-e-worker-[a-z0-9]{5}");
            assertThat(names.add(name)).as("unique: %s", name).isTrue();
        }
    }

    @Test
    void brokenRandomSourceIsReportedNotLoopedOn() {
        RandomGenerator constant =
                new RandomGenerator() {
                    @Override
                    public long nextLong() {
                        return 0;
                    }
                };
        ClusterModel model = ClusterModel.of(spec().resolve(), "default", constant);
        model.newWorkerName();
        assertThatThrownBy(model::newWorkerName)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pass a real RandomGenerator");
    }

    @Test
    void workerPodCarriesNameAddressLabelsAndEnvInEveryContainer() {
        Pod template =
                PodTemplates.fromYamlString(
                        """
                metadata:
                  labels: {app: mine, team: data}
                spec:
                  containers:
                  - name: sidecar
                    image: busybox
                  - name: worker
                    image: dask
                    args: [dask-worker, --name, old, --death-timeout, '60']
                """,
                        "t.yml");
        ClusterModel model =
                ClusterModel.of(
                        spec().workerTemplate(template).namespace("ns").resolve(),
                        "ns",
                        new Random(0));

        Pod pod = model.workerPod("w-1");

        assertThat(pod.getMetadata().getName()).isEqualTo("w-1");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry("app", "dask")
                .containsEntry("team", "data")
                .containsEntry(DaskLabels.COMPONENT, "worker")
                .containsEntry(DaskLabels.CLUSTER_NAME, model.name());
        assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(model.workerSelector());
        for (Container container : pod.getSpec().getContainers()) {
            assertThat(env(container, "DASK_SCHEDULER_ADDRESS"))
                    .isEqualTo("tcp://dask-jovyan-0a1b2c3d-e.ns:8786");
            assertThat(env(container, "DASK_WORKER_NAME")).isEqualTo("w-1");
        }
        assertThat(pod.getSpec().getContainers().get(1).getArgs())
                .containsExactly("dask-worker", "--death-timeout", "60", "--name", "w-1");
        assertThat(pod.getSpec().getContainers().get(0).getArgs()).isNullOrEmpty();
        assertThat(pod.getMetadata().getOwnerReferences()).isNullOrEmpty();
    }

    @Test
    void externalSchedulerModeGivesThatAddressAndNoBudget() {
        ClusterModel model =
                ClusterModel.withExternalScheduler(
                        spec().deployMode(DeployMode.LOCAL).resolve(),
                        "default",
                        "tcp://10.1.2.3:8786",
                        new Random(0));
        assertThat(model.schedulerAddressInCluster()).isEqualTo("tcp://10.1.2.3:8786");
        assertThat(
                        env(
                                model.workerPod(model.newWorkerName())
                                        .getSpec()
                                        .getContainers()
                                        .get(0),
                                "DASK_SCHEDULER_ADDRESS"))
                .isEqualTo("tcp://10.1.2.3:8786");
        assertThat(model.podDisruptionBudget()).isEmpty();
        assertThat(model.owner().getData())
                .containsEntry("deploy-mode", "local")
                .containsEntry("scheduler-address", "tcp://10.1.2.3:8786");
    }

    @Test
    void affinityModesAndTolerations() {
        Pod required =
                ClusterModel.of(
                                spec().affinityMode(AffinityMode.REQUIRED).resolve(),
                                "d",
                                new Random(0))
                        .workerPod("w");
        assertThat(
                        required.getSpec()
                                .getAffinity()
                                .getNodeAffinity()
                                .getRequiredDuringSchedulingIgnoredDuringExecution()
                                .getNodeSelectorTerms()
                                .get(0)
                                .getMatchExpressions()
                                .get(0)
                                .getValues())
                .containsExactly("worker");
        assertThat(
                        required.getSpec()
                                .getAffinity()
                                .getNodeAffinity()
                                .getPreferredDuringSchedulingIgnoredDuringExecution())
                .isNullOrEmpty();

        Pod none =
                ClusterModel.of(
                                spec().affinityMode(AffinityMode.NONE).resolve(),
                                "d",
                                new Random(0))
                        .workerPod("w");
        assertThat(none.getSpec().getAffinity()).isNull();
        // MakePodSpec already has the worker tolerations: they are not doubled
        Pod made =
                ClusterModel.of(
                                spec().workerTemplate(MakePodSpec.builder().image("i").build())
                                        .resolve(),
                                "d",
                                new Random(0))
                        .workerPod("w");
        assertThat(made.getSpec().getTolerations()).hasSize(2);
    }

    @Test
    void schedulerPodFromOwnTemplateKeepsItsArgsAndHttpRoutesSetting() {
        Pod schedulerTemplate =
                PodTemplates.fromYamlString(
                        """
                spec:
                  containers:
                  - name: scheduler
                    image: dask
                    args: [dask-scheduler]
                    env: [{name: DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES, value: "[]"}]
                """,
                        "s.yml");
        ClusterModel model =
                ClusterModel.of(
                        spec().schedulerTemplate(schedulerTemplate).resolve(), "d", new Random(0));

        Pod pod = model.schedulerPod();

        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getArgs()).containsExactly("dask-scheduler");
        assertThat(env(container, ClusterModel.HTTP_ROUTES_ENV)).isEqualTo("[]");
        assertThat(container.getReadinessProbe().getTcpSocket().getPort().getIntVal())
                .isEqualTo(8786);
        assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(model.schedulerSelector());
        assertThat(model.schedulerService().getSpec().getSelector())
                .isEqualTo(model.schedulerSelector());
    }

    @Test
    void schedulerFromWorkerTemplateInCommandFormGetsIdleTimeout() {
        Pod template =
                PodTemplates.fromYamlString(
                        """
                spec:
                  containers:
                  - name: w
                    image: dask
                    command: [tini, --, dask-worker]
                    args: [--nthreads, '1', --death-timeout, '60']
                """,
                        "t.yml");
        ClusterModel model =
                ClusterModel.of(
                        spec().workerTemplate(template)
                                .idleTimeout(Duration.ofMinutes(5))
                                .resolve(),
                        "d",
                        new Random(0));

        Container container = model.schedulerPod().getSpec().getContainers().get(0);

        assertThat(container.getCommand()).containsExactly("tini", "--");
        assertThat(container.getArgs())
                .containsExactly(
                        "dask-scheduler",
                        "--port",
                        "8786",
                        "--dashboard-address",
                        ":8787",
                        "--idle-timeout",
                        "300s");
        assertThat(env(container, ClusterModel.HTTP_ROUTES_ENV))
                .isEqualTo(ClusterModel.HTTP_ROUTES);
    }

    @Test
    void ownerDataRebuildsTheSameModel() {
        ClusterModel original =
                ClusterModel.of(
                        spec().env(Map.of("A", "1")).affinityMode(AffinityMode.REQUIRED).resolve(),
                        "team-ns",
                        new Random(0));
        ConfigMap created =
                new ConfigMapBuilder(original.owner())
                        .editMetadata()
                        .withUid("uid-1")
                        .endMetadata()
                        .build();
        assertThat(created.getMetadata().getLabels())
                .containsEntry(DaskLabels.COMPONENT, "cluster")
                .containsAllEntriesOf(original.clusterLabels());

        ClusterModel rebuilt = ClusterModel.fromOwner(created, new Random(0));

        assertThat(rebuilt.name()).isEqualTo(original.name());
        assertThat(rebuilt.namespace()).isEqualTo("team-ns");
        Pod expected = original.ownedBy(created).workerPod("w-1");
        assertThat(rebuilt.workerPod("w-1")).isEqualTo(expected);
        assertThat(expected.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(
                        ref -> {
                            assertThat(ref.getUid()).isEqualTo("uid-1");
                            assertThat(ref.getKind()).isEqualTo("ConfigMap");
                            assertThat(ref.getController()).isFalse();
                            assertThat(ref.getBlockOwnerDeletion()).isTrue();
                        });
    }

    @Test
    void ownerWithoutUidIsRefused() {
        ClusterModel model = ClusterModel.of(spec().resolve(), "d", new Random(0));
        assertThatThrownBy(() -> model.ownedBy(model.owner()))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("pass the owner object the API server returned");
    }

    @Test
    void objectsAreFreshEachCall() {
        ClusterModel model = ClusterModel.of(spec().resolve(), "d", new Random(0));
        Pod first = model.workerPod("w");
        first.getMetadata().getLabels().put("x", "y");
        assertThat(model.workerPod("w").getMetadata().getLabels()).doesNotContainKey("x");
        assertThat(
                        List.of(
                                model.schedulerPod().getMetadata().getName(),
                                model.schedulerService().getMetadata().getName()))
                .containsExactly("dask-jovyan-0a1b2c3d-e-scheduler", "dask-jovyan-0a1b2c3d-e");
    }
}
