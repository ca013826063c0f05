package io.daskkubernetes.operator.client;

import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.ClusterName;
import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.model.KubernetesNames;
import io.daskkubernetes.model.SchedulerPorts;
import io.daskkubernetes.model.SpecException;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskAutoscalerSpec;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskClusterSpec;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.daskkubernetes.operator.api.DaskWorkerGroupSpec;
import io.daskkubernetes.operator.api.SchedulerSpec;
import io.daskkubernetes.operator.api.WorkerSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.ServiceSpecBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kubernetes.dask.org/v1 objects that Python's operator-era {@code KubeCluster} sends, built
 * from a few arguments and nothing else (no Kubernetes, no clock): {@code make_cluster_spec},
 * {@code make_worker_spec}, {@code make_scheduler_spec}, a DaskWorkerGroup and a DaskAutoscaler,
 * with the same names, ports, probes and arguments as upstream's, so the operator (ours or
 * upstream's) makes the same pods from them.
 */
public final class OperatorManifests {

    /** Upstream's worker dashboard port, passed to dask-worker and declared on the container. */
    static final int WORKER_DASHBOARD_PORT = 8788;

    /** The name of the worker group that every DaskCluster has. */
    public static final String DEFAULT_GROUP = "default";

    private static final String SOURCE = "operator cluster";

    private OperatorManifests() {}

    /** A DaskCluster as {@code make_cluster_spec(name, image, n_workers, resources, env, ...)}. */
    public static DaskCluster cluster(
            String name,
            String namespace,
            WorkerTemplate template,
            int workers,
            String serviceType,
            int idleTimeoutSeconds) {
        requireClusterName(name);
        requireCount("n_workers", workers);
        if (idleTimeoutSeconds < 0) {
            throw new SpecException(
                    SOURCE,
                    "idleTimeout",
                    idleTimeoutSeconds + " is negative",
                    "use 0 (never) or a number of seconds");
        }
        DaskClusterSpec spec = new DaskClusterSpec();
        spec.setWorker(workerSpec(template, workers));
        spec.setScheduler(schedulerSpec(name, template, serviceType));
        spec.setIdleTimeout(idleTimeoutSeconds);
        DaskCluster cluster = new DaskCluster();
        cluster.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        cluster.setSpec(spec);
        return cluster;
    }

    /** {@code make_worker_spec}: one container "worker" running the command against the env. */
    public static WorkerSpec workerSpec(WorkerTemplate template, int workers) {
        requireCount("n_workers", workers);
        List<String> args = new ArrayList<>(template.command());
        args.addAll(
                List.of(
                        "--name",
                        "$(DASK_WORKER_NAME)",
                        "--dashboard",
                        "--dashboard-address",
                        String.valueOf(WORKER_DASHBOARD_PORT)));
        Container worker =
                new ContainerBuilder()
                        .withName("worker")
                        .withImage(template.image())
                        .withArgs(args)
                        .withEnv(env(template.env()))
                        .withResources(template.resources())
                        .withPorts(
                                new ContainerPortBuilder()
                                        .withName("http-dashboard")
                                        .withContainerPort(WORKER_DASHBOARD_PORT)
                                        .withProtocol("TCP")
                                        .build())
                        .build();
        WorkerSpec spec = new WorkerSpec();
        spec.setReplicas(workers);
        spec.setSpec(new PodSpecBuilder().withContainers(worker).build());
        return spec;
    }

    /**
     * {@code make_scheduler_spec}: {@code dask-scheduler} in the template's image, with its
     * resources and env, ports tcp-comm 8786 and http-dashboard 8787, probes on /health, and a
     * Service of {@code serviceType} selecting it.
     */
    public static SchedulerSpec schedulerSpec(
            String clusterName, WorkerTemplate template, String serviceType) {
        String type = serviceType == null || serviceType.isBlank() ? "ClusterIP" : serviceType;
        if (!List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
            throw new SpecException(
                    SOURCE,
                    "scheduler service type",
                    "is \"" + serviceType + "\"",
                    "use ClusterIP, NodePort or LoadBalancer");
        }
        Container scheduler =
                new ContainerBuilder()
                        .withName("scheduler")
                        .withImage(template.image())
                        .withArgs("dask-scheduler", "--host", "0.0.0.0")
                        .withEnv(env(template.env()))
                        .withResources(template.resources())
                        .withPorts(
                                new ContainerPortBuilder()
                                        .withName("tcp-comm")
                                        .withContainerPort(SchedulerPorts.COMM)
                                        .withProtocol("TCP")
                                        .build(),
                                new ContainerPortBuilder()
                                        .withName("http-dashboard")
                                        .withContainerPort(SchedulerPorts.DASHBOARD)
                                        .withProtocol("TCP")
                                        .build())
                        .withReadinessProbe(
                                new ProbeBuilder()
                                        .withNewHttpGet()
                                        .withPort(new IntOrString("http-dashboard"))
                                        .withPath("/health")
                                        .endHttpGet()
                                        .withInitialDelaySeconds(0)
                                        .withPeriodSeconds(1)
                                        .withTimeoutSeconds(300)
                                        .build())
                        .withLivenessProbe(
                                new ProbeBuilder()
                                        .withNewHttpGet()
                                        .withPort(new IntOrString("http-dashboard"))
                                        .withPath("/health")
                                        .endHttpGet()
                                        .withInitialDelaySeconds(15)
                                        .withPeriodSeconds(20)
                                        .build())
                        .build();
        SchedulerSpec spec = new SchedulerSpec();
        spec.setSpec(new PodSpecBuilder().withContainers(scheduler).build());
        spec.setService(
                new ServiceSpecBuilder()
                        .withType(type)
                        .withSelector(
                                Map.of(
                                        DaskLabels.CLUSTER_NAME,
                                        clusterName,
                                        DaskLabels.COMPONENT,
                                        DaskLabels.COMPONENT_SCHEDULER))
                        .withPorts(
                                new ServicePortBuilder()
                                        .withName("tcp-comm")
                                        .withProtocol("TCP")
                                        .withPort(SchedulerPorts.COMM)
                                        .withTargetPort(new IntOrString("tcp-comm"))
                                        .build(),
                                new ServicePortBuilder()
                                        .withName("http-dashboard")
                                        .withProtocol("TCP")
                                        .withPort(SchedulerPorts.DASHBOARD)
                                        .withTargetPort(new IntOrString("http-dashboard"))
                                        .build())
                        .build());
        return spec;
    }

    /**
     * A further worker group {@code <cluster>-<group>}, as {@code add_worker_group}; the operator
     * gives it to the cluster, so it is deleted with it.
     */
    public static DaskWorkerGroup workerGroup(
            DaskCluster cluster, String group, WorkerTemplate template, int workers) {
        String name = groupName(cluster.getMetadata().getName(), group);
        if (!KubernetesNames.isDnsLabel(name) || name.length() > ClusterName.MAX_LENGTH) {
            throw new SpecException(
                    SOURCE,
                    "worker group name",
                    "\"" + group + "\" gives the group name \"" + name + "\"",
                    "use lower-case letters, digits and '-', with at most "
                            + ClusterName.MAX_LENGTH
                            + " characters in <cluster>-<group>");
        }
        DaskWorkerGroupSpec spec = new DaskWorkerGroupSpec();
        spec.setCluster(cluster.getMetadata().getName());
        spec.setWorker(workerSpec(template, workers));
        DaskWorkerGroup resource = new DaskWorkerGroup();
        resource.setMetadata(
                new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace(cluster.getMetadata().getNamespace())
                        .withLabels(
                                Map.of(DaskLabels.CLUSTER_NAME, cluster.getMetadata().getName()))
                        .build());
        resource.setSpec(spec);
        return resource;
    }

    /**
     * The DaskAutoscaler {@code <cluster>} that {@code adapt(minimum, maximum)} creates, owned by
     * the cluster so that it goes with it.
     */
    public static DaskAutoscaler autoscaler(DaskCluster cluster, int minimum, int maximum) {
        requireCount("minimum", minimum);
        if (maximum < minimum) {
            throw new SpecException(
                    SOURCE,
                    "maximum",
                    maximum + " is below the minimum " + minimum,
                    "use a maximum of at least the minimum");
        }
        DaskAutoscalerSpec spec = new DaskAutoscalerSpec();
        spec.setCluster(cluster.getMetadata().getName());
        spec.setMinimum(minimum);
        spec.setMaximum(maximum);
        DaskAutoscaler autoscaler = new DaskAutoscaler();
        autoscaler.setMetadata(
                new ObjectMetaBuilder()
                        .withName(cluster.getMetadata().getName())
                        .withNamespace(cluster.getMetadata().getNamespace())
                        .withLabels(
                                Map.of(DaskLabels.CLUSTER_NAME, cluster.getMetadata().getName()))
                        .withOwnerReferences(
                                new OwnerReferenceBuilder()
                                        .withApiVersion(cluster.getApiVersion())
                                        .withKind(cluster.getKind())
                                        .withName(cluster.getMetadata().getName())
                                        .withUid(cluster.getMetadata().getUid())
                                        .withBlockOwnerDeletion(true)
                                        .build())
                        .build());
        autoscaler.setSpec(spec);
        return autoscaler;
    }

    /** A copy of {@code cluster} carrying {@code lease} as annotations. */
    public static DaskCluster leased(DaskCluster cluster, ClusterLease lease) {
        DaskCluster copy = Serialization.clone(cluster);
        copy.getMetadata().getAnnotations().putAll(lease.annotations());
        return copy;
    }

    /** The scheduler pod's and the Service's name, as the operator gives them. */
    public static String schedulerName(String cluster) {
        return cluster + "-scheduler";
    }

    /** The name of the DaskWorkerGroup {@code group} of {@code cluster}. */
    public static String groupName(String cluster, String group) {
        return cluster + "-" + group;
    }

    /**
     * The worker command of a worker container's args: what comes before the {@code --name
     * $(DASK_WORKER_NAME)} that {@link #workerSpec} appends, else the whole args ({@code
     * dask-worker} when there are none).
     */
    public static List<String> workerCommandOf(List<String> args) {
        if (args == null || args.isEmpty()) {
            return WorkerTemplate.DEFAULT_COMMAND;
        }
        for (int i = 1; i + 1 < args.size(); i++) {
            if ("--name".equals(args.get(i)) && "$(DASK_WORKER_NAME)".equals(args.get(i + 1))) {
                return List.copyOf(args.subList(0, i));
            }
        }
        return List.copyOf(args);
    }

    /** A DaskCluster's name rule: a DNS label of at most 53 characters, as the operator checks. */
    public static void requireClusterName(String name) {
        if (name == null || name.isBlank()) {
            throw new SpecException(
                    SOURCE, "name", "is empty", "name the cluster, such as my-dask-cluster");
        }
        if (name.length() > ClusterName.MAX_LENGTH || !KubernetesNames.isDnsLabel(name)) {
            throw new SpecException(
                    SOURCE,
                    "name",
                    "\""
                            + name
                            + "\" is not a DNS label of at most "
                            + ClusterName.MAX_LENGTH
                            + " characters",
                    "use lower-case letters, digits and '-', starting and ending with a letter"
                            + " or digit");
        }
    }

    private static void requireCount(String field, int count) {
        if (count < 0) {
            throw new SpecException(SOURCE, field, count + " is negative", "use 0 or more workers");
        }
    }

    private static List<EnvVar> env(Map<String, String> env) {
        return env.entrySet().stream()
                .map(e -> new EnvVarBuilder().withName(e.getKey()).withValue(e.getValue()).build())
                .toList();
    }
}
