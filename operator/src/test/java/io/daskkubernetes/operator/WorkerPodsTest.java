package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The objects made from upstream's manifests follow upstream's naming and propagation rules. */
class WorkerPodsTest {

    private static final Path MANIFESTS = Path.of("..", "examples", "operator");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theDefaultGroupsWorkersGetLabelsAnnotationsAndBothVariables() throws IOException {
        DaskCluster cluster = read("simplecluster.yaml", DaskCluster.class);
        DaskWorkerGroup group = ClusterResources.defaultWorkerGroup(cluster);
        group.getMetadata().setLabels(cluster.getMetadata().getLabels());
        group.getMetadata()
                .setAnnotations(
                        OperatorLabels.propagatedAnnotations(
                                cluster.getMetadata().getAnnotations()));

        Pod pod = WorkerPods.build(group, "simple-default-worker-abc");

        assertThat(pod.getMetadata().getLabels())
                .containsEntry("test-label", "label-value")
                .containsEntry("worker-sublabel", "label-value")
                .containsEntry("dask.org/cluster-name", "simple")
                .containsEntry("dask.org/component", "worker")
                .containsEntry("dask.org/workergroup-name", "simple-default");
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry("worker-subannotation", "annotation-value")
                .containsEntry("test-annotation", "annotation-value")
                .doesNotContainKeys("kopf.zalando.org/foobar", "kubectl.kubernetes.io");
        assertThat(pod.getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("WORKER_ENV", "hello-world"),
                        org.assertj.core.groups.Tuple.tuple(
                                "DASK_WORKER_NAME", "simple-default-worker-abc"),
                        org.assertj.core.groups.Tuple.tuple(
                                "DASK_SCHEDULER_ADDRESS",
                                "tcp://simple-scheduler.default.svc.cluster.local:8786"));
        assertThat(pod.getMetadata().getOwnerReferences().get(0).getName())
                .isEqualTo("simple-default");
    }

    @Test
    void ourBookkeepingAboutTheParentStaysOnTheParent() throws IOException {
        DaskCluster cluster = read("simplecluster.yaml", DaskCluster.class);
        Map<String, String> annotations = new java.util.HashMap<>(Map.of("user", "kept"));
        annotations.putAll(
                new ClusterLease("client-host:42", Instant.now(), Duration.ofSeconds(30))
                        .annotations());
        annotations.put(RetireFirst.ANNOTATION, "tcp://10.0.0.1:40000");
        cluster.getMetadata().setAnnotations(annotations);

        DaskWorkerGroup group = ClusterResources.defaultWorkerGroup(cluster);
        Pod worker = WorkerPods.build(group, "simple-default-worker-abc");

        assertThat(group.getMetadata().getAnnotations()).containsOnlyKeys("user");
        assertThat(worker.getMetadata().getAnnotations())
                .containsEntry("user", "kept")
                .doesNotContainKeys(ClusterLease.RENEW_TIME, RetireFirst.ANNOTATION);
    }

    @Test
    void aWorkerNameTheUserSetIsKeptAndNotDuplicated() throws IOException {
        DaskWorkerGroup group = read("simpleworkergroup.yaml", DaskWorkerGroup.class);

        Pod pod = WorkerPods.build(group, "simple-additional-worker-abc");

        assertThat(pod.getSpec().getContainers().get(0).getEnv())
                .filteredOn(e -> e.getName().equals("DASK_WORKER_NAME"))
                .extracting(EnvVar::getValue)
                .containsExactly("test-worker");
        assertThat(WorkerPods.daskWorkerName(pod)).contains("test-worker");
    }

    @Test
    void theSchedulerServiceIsTheUsersSpecVerbatim() throws IOException {
        DaskCluster cluster = read("simplecluster.yaml", DaskCluster.class);

        var service = ClusterResources.schedulerService(cluster);

        assertThat(service.getMetadata().getName()).isEqualTo("simple-scheduler");
        assertThat(service.getSpec()).isEqualTo(cluster.getSpec().getScheduler().getService());
    }

    @Test
    void clusterNamesFollowTheRuleAndSayWhichOneTheyBreak() {
        assertThat(ClusterNames.problem("simple")).isEmpty();
        assertThat(ClusterNames.problem("a".repeat(54)).orElseThrow())
                .contains("metadata.name", "at most 53");
        assertThat(ClusterNames.problem("Not_A_Label").orElseThrow())
                .contains("metadata.name", "DNS label");
    }

    private static <T> T read(String file, Class<T> type) throws IOException {
        T object = YAML.readValue(MANIFESTS.resolve(file).toFile(), type);
        if (object instanceof io.fabric8.kubernetes.api.model.HasMetadata resource) {
            resource.getMetadata().setNamespace("default");
            resource.getMetadata().setUid("uid-" + file);
        }
        return object;
    }
}
