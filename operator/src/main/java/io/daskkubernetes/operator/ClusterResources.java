package io.daskkubernetes.operator;

import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.daskkubernetes.operator.api.DaskWorkerGroupSpec;
import io.daskkubernetes.operator.api.TemplateMetadata;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * The objects a DaskCluster is made of, built from its spec with nothing else: the scheduler pod,
 * its Service (the user's ServiceSpec verbatim) and the default worker group.
 */
final class ClusterResources {

    private ClusterResources() {}

    static Pod schedulerPod(DaskCluster cluster) {
        String name = cluster.getMetadata().getName();
        TemplateMetadata template = cluster.getSpec().getScheduler().getMetadata();
        return new PodBuilder()
                .withMetadata(
                        metadata(
                                cluster,
                                ClusterNames.scheduler(name),
                                template,
                                OperatorLabels.scheduler(name)))
                .withSpec(Serialization.clone(cluster.getSpec().getScheduler().getSpec()))
                .build();
    }

    static Service schedulerService(DaskCluster cluster) {
        String name = cluster.getMetadata().getName();
        TemplateMetadata template = cluster.getSpec().getScheduler().getMetadata();
        return new ServiceBuilder()
                .withMetadata(
                        metadata(
                                cluster,
                                ClusterNames.service(name),
                                template,
                                OperatorLabels.scheduler(name)))
                .withSpec(Serialization.clone(cluster.getSpec().getScheduler().getService()))
                .build();
    }

    static DaskWorkerGroup defaultWorkerGroup(DaskCluster cluster) {
        String name = cluster.getMetadata().getName();
        DaskWorkerGroup group = new DaskWorkerGroup();
        group.setMetadata(
                metadata(
                        cluster,
                        ClusterNames.defaultWorkerGroup(name),
                        null,
                        Map.of(
                                io.daskkubernetes.model.DaskLabels.CLUSTER_NAME,
                                name,
                                io.daskkubernetes.model.DaskLabels.COMPONENT,
                                OperatorLabels.COMPONENT_WORKER_GROUP)));
        DaskWorkerGroupSpec spec = new DaskWorkerGroupSpec();
        spec.setCluster(name);
        spec.setWorker(Serialization.clone(cluster.getSpec().getWorker()));
        group.setSpec(spec);
        return group;
    }

    /** An owner reference that makes {@code owner} the controller of what carries it. */
    static OwnerReference controlledBy(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static ObjectMeta metadata(
            DaskCluster cluster, String name, TemplateMetadata template, Map<String, String> ours) {
        ObjectMeta parent = cluster.getMetadata();
        Map<String, String> annotations =
                OperatorLabels.merged(
                        OperatorLabels.propagatedAnnotations(parent.getAnnotations()),
                        template == null ? null : template.getAnnotations(),
                        Map.of());
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(parent.getNamespace())
                .withLabels(
                        OperatorLabels.merged(
                                parent.getLabels(),
                                template == null ? null : template.getLabels(),
                                ours))
                .withAnnotations(annotations)
                .withOwnerReferences(controlledBy(cluster))
                .build();
    }
}
