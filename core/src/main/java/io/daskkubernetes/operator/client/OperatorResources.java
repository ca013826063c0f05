package io.daskkubernetes.operator.client;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskWorkerGroup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.Supplier;

/**
 * The kubernetes.dask.org/v1 resources of one namespace, as typed fabric8 handles; and the one
 * place that turns "this Kubernetes has no such resource type" into an error that says to install
 * the Dask operator.
 */
final class OperatorResources {

    static final String CRD_HELP =
            "install the Dask operator and its CRDs (dask-kubernetes operator, the Helm chart in"
                    + " deploy/helm, or kubectl apply -f deploy/crds), or use dask-kubernetes"
                    + " local --operator";

    private final KubernetesClient client;
    private final String namespace;

    OperatorResources(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    KubernetesClient client() {
        return client;
    }

    Resource<DaskCluster> cluster(String name) {
        return in(DaskCluster.class).withName(name);
    }

    Resource<DaskWorkerGroup> workerGroup(String name) {
        return in(DaskWorkerGroup.class).withName(name);
    }

    Resource<DaskAutoscaler> autoscaler(String name) {
        return in(DaskAutoscaler.class).withName(name);
    }

    <T extends HasMetadata> NonNamespaceOperation<T, KubernetesResourceList<T>, Resource<T>> in(
            Class<T> type) {
        return client.resources(type).inNamespace(namespace);
    }

    /**
     * Fails with a one-line error when this Kubernetes does not know DaskClusters: a get of a
     * missing object answers null whether or not the type exists, a list tells them apart.
     */
    void requireDaskClusterType() {
        requiringCrd(
                "daskclusters",
                () -> in(DaskCluster.class).list(new ListOptionsBuilder().withLimit(1L).build()));
    }

    /**
     * Runs {@code call}; a 404 (which, for a create or a list, means the resource type is unknown)
     * becomes a one-line error naming the missing CRD.
     *
     * @param plural the plural of the kind, for the message: "daskclusters"
     */
    static <T> T requiringCrd(String plural, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new ClusterException(
                        "this Kubernetes has no "
                                + plural
                                + ".kubernetes.dask.org resource type (the CRD is not installed); "
                                + CRD_HELP,
                        e);
            }
            throw e;
        }
    }
}
