package io.daskkubernetes.operator;

import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DaskWorkerGroup or DaskAutoscaler made by the user (kubectl) rather than by its cluster gets
 * the cluster as an owner, so that deleting the cluster deletes it too, as upstream does for
 * groups: otherwise it would outlive its cluster and report it missing for good.
 */
final class ClusterAdoption {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterAdoption.class);

    private ClusterAdoption() {}

    /**
     * Adds an owner reference (not a controller: the object is the user's) to the DaskCluster
     * {@code cluster}, unless one is there or the cluster does not exist yet.
     */
    static <T extends HasMetadata> void adopt(
            KubernetesClient client, Class<T> type, T object, String cluster) {
        boolean owned =
                object.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> "DaskCluster".equals(o.getKind()));
        if (owned || cluster == null) {
            return;
        }
        String namespace = object.getMetadata().getNamespace();
        DaskCluster owner =
                client.resources(DaskCluster.class).inNamespace(namespace).withName(cluster).get();
        if (owner == null) {
            return;
        }
        var reference = ClusterResources.controlledBy(owner);
        reference.setController(false);
        client.resources(type)
                .inNamespace(namespace)
                .withName(object.getMetadata().getName())
                .edit(
                        o -> {
                            o.getMetadata().getOwnerReferences().add(reference);
                            return o;
                        });
        LOG.info(
                "{} {}/{}: now owned by DaskCluster {}",
                object.getKind(),
                namespace,
                object.getMetadata().getName(),
                cluster);
    }
}
