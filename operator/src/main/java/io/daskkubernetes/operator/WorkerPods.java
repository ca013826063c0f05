package io.daskkubernetes.operator;

import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.daskkubernetes.operator.api.TemplateMetadata;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A worker pod of a DaskWorkerGroup, built from the group's spec with nothing else. */
final class WorkerPods {

    static final String WORKER_NAME_VARIABLE = "DASK_WORKER_NAME";
    static final String SCHEDULER_ADDRESS_VARIABLE = "DASK_SCHEDULER_ADDRESS";

    private WorkerPods() {}

    /** {@code <group>-worker-<10 hex digits>}, as upstream. */
    static String newName(DaskWorkerGroup group) {
        return group.getMetadata().getName()
                + "-worker-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static Pod build(DaskWorkerGroup group, String podName) {
        String cluster = group.getSpec().getCluster();
        String groupName = group.getMetadata().getName();
        TemplateMetadata template = group.getSpec().getWorker().getMetadata();
        PodSpec spec = Serialization.clone(group.getSpec().getWorker().getSpec());
        String schedulerAddress =
                ClusterNames.schedulerAddress(cluster, group.getMetadata().getNamespace());
        for (Container container : spec.getContainers()) {
            container.setEnv(
                    withDefaults(
                            container.getEnv(),
                            new EnvVar(WORKER_NAME_VARIABLE, podName, null),
                            new EnvVar(SCHEDULER_ADDRESS_VARIABLE, schedulerAddress, null)));
        }
        return new PodBuilder()
                .withMetadata(
                        new ObjectMetaBuilder()
                                .withName(podName)
                                .withNamespace(group.getMetadata().getNamespace())
                                .withLabels(
                                        OperatorLabels.merged(
                                                group.getMetadata().getLabels(),
                                                template == null ? null : template.getLabels(),
                                                OperatorLabels.workers(cluster, groupName)))
                                .withAnnotations(
                                        OperatorLabels.merged(
                                                OperatorLabels.propagatedAnnotations(
                                                        group.getMetadata().getAnnotations()),
                                                template == null ? null : template.getAnnotations(),
                                                java.util.Map.of()))
                                .withOwnerReferences(ClusterResources.controlledBy(group))
                                .build())
                .withSpec(spec)
                .build();
    }

    /** The value of {@code DASK_WORKER_NAME} in the pod's first container, if set by value. */
    static Optional<String> daskWorkerName(Pod pod) {
        return pod.getSpec().getContainers().stream()
                .flatMap(
                        c ->
                                c.getEnv() == null
                                        ? java.util.stream.Stream.empty()
                                        : c.getEnv().stream())
                .filter(env -> WORKER_NAME_VARIABLE.equals(env.getName()) && env.getValue() != null)
                .map(EnvVar::getValue)
                .findFirst();
    }

    /** The container's variables with each default added unless a variable of its name is there. */
    static List<EnvVar> withDefaults(List<EnvVar> env, EnvVar... defaults) {
        List<EnvVar> result = new ArrayList<>(env == null ? List.of() : env);
        for (EnvVar candidate : defaults) {
            if (result.stream().noneMatch(e -> candidate.getName().equals(e.getName()))) {
                result.add(candidate);
            }
        }
        return result;
    }
}
