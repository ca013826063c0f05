package io.daskkubernetes.operator.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.SpecException;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The objects of Python's make_cluster_spec and friends, built with no Kubernetes at all. */
class OperatorManifestsTest {

    private static final WorkerTemplate DEFAULTS = WorkerTemplate.defaults();

    @Test
    void aClusterFromANameAndAWorkerCountIsUpstreamsMakeClusterSpec() {
        DaskCluster cluster = OperatorManifests.cluster("demo", "team", DEFAULTS, 2, null, 0);

        assertThat(cluster.getApiVersion()).isEqualTo("kubernetes.dask.org/v1");
        assertThat(cluster.getKind()).isEqualTo("DaskCluster");
        assertThat(cluster.getMetadata().getName()).isEqualTo("demo");
        assertThat(cluster.getMetadata().getNamespace()).isEqualTo("team");
        assertThat(cluster.getSpec().getIdleTimeout()).isZero();

        assertThat(cluster.getSpec().getWorker().getReplicas()).isEqualTo(2);
        Container worker = cluster.getSpec().getWorker().getSpec().getContainers().get(0);
        assertThat(worker.getName()).isEqualTo("worker");
        assertThat(worker.getImage()).isEqualTo("ghcr.io/dask/dask:latest");
        assertThat(worker.getArgs())
                .containsExactly(
                        "dask-worker",
                        "--name",
                        "$(DASK_WORKER_NAME)",
                        "--dashboard",
                        "--dashboard-address",
                        "8788");
        assertThat(worker.getPorts().get(0).getContainerPort()).isEqualTo(8788);

        Container scheduler = cluster.getSpec().getScheduler().getSpec().getContainers().get(0);
        assertThat(scheduler.getName()).isEqualTo("scheduler");
        assertThat(scheduler.getArgs()).containsExactly("dask-scheduler", "--host", "0.0.0.0");
        assertThat(scheduler.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("tcp-comm:8786", "http-dashboard:8787");
        assertThat(scheduler.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(scheduler.getReadinessProbe().getPeriodSeconds()).isEqualTo(1);

        var service = cluster.getSpec().getScheduler().getService();
        assertThat(service.getType()).isEqualTo("ClusterIP");
        assertThat(service.getSelector())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "dask.org/cluster-name", "demo",
                                "dask.org/component", "scheduler"));
        assertThat(service.getPorts())
                .extracting(ServicePort::getName, ServicePort::getPort)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tcp-comm", 8786),
                        org.assertj.core.groups.Tuple.tuple("http-dashboard", 8787));
    }

    @Test
    void imageResourcesEnvAndCommandGoToSchedulerAndWorkers() {
        WorkerTemplate template =
                new WorkerTemplate(
                        "example.org/dask:2024.1",
                        new ResourceRequirementsBuilder()
                                .addToLimits("memory", new Quantity("2Gi"))
                                .build(),
                        Map.of("EXTRA", "1"),
                        WorkerTemplate.splitCommand("dask-worker --nthreads 2"));
        DaskCluster cluster = OperatorManifests.cluster("c", "ns", template, 0, "NodePort", 30);

        Container worker = cluster.getSpec().getWorker().getSpec().getContainers().get(0);
        Container scheduler = cluster.getSpec().getScheduler().getSpec().getContainers().get(0);
        for (Container container : List.of(worker, scheduler)) {
            assertThat(container.getImage()).isEqualTo("example.org/dask:2024.1");
            assertThat(container.getResources().getLimits().get("memory"))
                    .isEqualTo(new Quantity("2Gi"));
            assertThat(container.getEnv())
                    .extracting(EnvVar::getName, EnvVar::getValue)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("EXTRA", "1"));
        }
        assertThat(worker.getArgs()).startsWith("dask-worker", "--nthreads", "2", "--name");
        assertThat(cluster.getSpec().getScheduler().getService().getType()).isEqualTo("NodePort");
        assertThat(cluster.getSpec().getWorker().getReplicas()).isZero();
        assertThat(cluster.getSpec().getIdleTimeout()).isEqualTo(30);
    }

    @Test
    void badArgumentsAreRefusedNamingTheField() {
        assertThatThrownBy(
                        () -> OperatorManifests.cluster("Not_A_Name", "ns", DEFAULTS, 1, null, 0))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("name")
                .hasMessageContaining("lower-case");
        assertThatThrownBy(
                        () -> OperatorManifests.cluster("a".repeat(54), "ns", DEFAULTS, 1, null, 0))
                .hasMessageContaining("53");
        assertThatThrownBy(() -> OperatorManifests.cluster("c", "ns", DEFAULTS, -1, null, 0))
                .hasMessageContaining("n_workers")
                .hasMessageContaining("0 or more");
        assertThatThrownBy(() -> OperatorManifests.cluster("c", "ns", DEFAULTS, 1, "Ingress", 0))
                .hasMessageContaining("service type")
                .hasMessageContaining("ClusterIP, NodePort or LoadBalancer");
        assertThatThrownBy(() -> DEFAULTS.withImage(" "))
                .hasMessageContaining("image")
                .hasMessageContaining("ghcr.io/dask/dask:latest");
        assertThatThrownBy(() -> DEFAULTS.withCommand(List.of()))
                .hasMessageContaining("worker command");
    }

    @Test
    void aWorkerGroupIsNamedAfterItsClusterAndJoinsIt() {
        DaskCluster cluster = OperatorManifests.cluster("demo", "team", DEFAULTS, 1, null, 0);
        DaskWorkerGroup group = OperatorManifests.workerGroup(cluster, "highmem", DEFAULTS, 2);

        assertThat(group.getMetadata().getName()).isEqualTo("demo-highmem");
        assertThat(group.getMetadata().getNamespace()).isEqualTo("team");
        assertThat(group.getSpec().getCluster()).isEqualTo("demo");
        assertThat(group.getSpec().getWorker().getReplicas()).isEqualTo(2);
        assertThatThrownBy(() -> OperatorManifests.workerGroup(cluster, "High Mem", DEFAULTS, 1))
                .hasMessageContaining("worker group name");
    }

    @Test
    void theAutoscalerIsNamedAfterTheClusterAndOwnedByIt() {
        DaskCluster cluster = OperatorManifests.cluster("demo", "team", DEFAULTS, 1, null, 0);
        cluster.getMetadata().setUid("uid-1");
        DaskAutoscaler autoscaler = OperatorManifests.autoscaler(cluster, 1, 5);

        assertThat(autoscaler.getMetadata().getName()).isEqualTo("demo");
        assertThat(autoscaler.getSpec().getCluster()).isEqualTo("demo");
        assertThat(autoscaler.getSpec().getMinimum()).isEqualTo(1);
        assertThat(autoscaler.getSpec().getMaximum()).isEqualTo(5);
        assertThat(autoscaler.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(
                        owner -> {
                            assertThat(owner.getKind()).isEqualTo("DaskCluster");
                            assertThat(owner.getUid()).isEqualTo("uid-1");
                        });
        assertThatThrownBy(() -> OperatorManifests.autoscaler(cluster, 3, 2))
                .hasMessageContaining("maximum");
    }

    @Test
    void aLeasedClusterCarriesTheLeaseAnnotationsAndTheOriginalIsUnchanged() {
        DaskCluster cluster = OperatorManifests.cluster("demo", "team", DEFAULTS, 1, null, 0);
        ClusterLease lease =
                new ClusterLease(
                        "host_42", Instant.parse("2026-12-05T10:00:00Z"), Duration.ofSeconds(30));

        DaskCluster leased = OperatorManifests.leased(cluster, lease);

        assertThat(ClusterLease.of(leased)).contains(lease);
        assertThat(ClusterLease.of(cluster)).isEmpty();
        // what is sent is still a valid DaskCluster document
        assertThat(Serialization.asYaml(leased))
                .contains("dask.org/lease-duration-seconds: \"30\"", "kind: \"DaskCluster\"");
    }

    @Test
    void theWorkerCommandIsReadBackFromTheArgsWorkerSpecMade() {
        WorkerTemplate template = DEFAULTS.withCommand(List.of("dask-worker", "--nthreads", "2"));
        List<String> args =
                OperatorManifests.workerSpec(template, 1)
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getArgs();

        assertThat(OperatorManifests.workerCommandOf(args))
                .containsExactly("dask-worker", "--nthreads", "2");
        assertThat(OperatorManifests.workerCommandOf(List.of("my-worker", "--x")))
                .containsExactly("my-worker", "--x");
        assertThat(OperatorManifests.workerCommandOf(null)).containsExactly("dask-worker");
    }
}
