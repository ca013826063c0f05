package io.daskkubernetes.operator.client;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/**
 * Scaling a worker group of a DaskCluster as Python's {@code KubeCluster.scale} does: the cluster's
 * DaskAutoscaler is deleted first (so that it does not undo the request), then the group's {@code
 * spec.worker.replicas} is set; for the default group the DaskCluster's too, so that {@code kubectl
 * get daskcluster} shows the count. The operator retires the workers the scheduler names when
 * shrinking.
 */
final class OperatorScaling {

    private OperatorScaling() {}

    static void scale(OperatorResources resources, String cluster, int n, String workerGroup) {
        if (n < 0) {
            throw new IllegalArgumentException("n is " + n + "; use 0 or more workers");
        }
        if (resources.cluster(cluster).get() == null) {
            throw new ClusterException(
                    "there is no DaskCluster "
                            + cluster
                            + " in namespace "
                            + resources.namespace());
        }
        resources.autoscaler(cluster).delete();
        String patch = "{\"spec\":{\"worker\":{\"replicas\":" + n + "}}}";
        if (OperatorManifests.DEFAULT_GROUP.equals(workerGroup)) {
            resources.cluster(cluster).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        }
        String group = OperatorManifests.groupName(cluster, workerGroup);
        try {
            resources.workerGroup(group).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new ClusterException(
                        "cluster "
                                + cluster
                                + " has no worker group \""
                                + workerGroup
                                + "\" (DaskWorkerGroup "
                                + group
                                + "); its groups: "
                                + groups(resources, cluster),
                        e);
            }
            throw e;
        }
    }

    /** The names of the cluster's worker groups ("default" and those added). */
    static List<String> groups(OperatorResources resources, String cluster) {
        String prefix = cluster + "-";
        return resources.in(DaskWorkerGroup.class).list().getItems().stream()
                .filter(g -> cluster.equals(g.getSpec().getCluster()))
                .map(g -> g.getMetadata().getName())
                .map(n -> n.startsWith(prefix) ? n.substring(prefix.length()) : n)
                .toList();
    }
}
