package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * A DaskAutoscaler (or DaskWorkerGroup) made by kubectl gets its cluster as a non-controlling
 * owner, so that the garbage collector deletes it with the cluster.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterAdoptionTest {

    KubernetesClient client;

    @Test
    void anAutoscalerMadeByKubectlIsAdoptedByItsClusterOnce() {
        DaskCluster cluster =
                client.resource(
                                Serialization.unmarshal(
                                        OperatorOnLocalRuntime.upstream("simplecluster.yaml"),
                                        DaskCluster.class))
                        .inNamespace("default")
                        .create();
        DaskAutoscaler autoscaler = client.resource(autoscaler("simple")).create();

        ClusterAdoption.adopt(client, DaskAutoscaler.class, autoscaler, "simple");
        DaskAutoscaler adopted = get("simple-autoscaler");
        ClusterAdoption.adopt(client, DaskAutoscaler.class, adopted, "simple");

        assertThat(get("simple-autoscaler").getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(
                        owner -> {
                            assertThat(owner.getKind()).isEqualTo("DaskCluster");
                            assertThat(owner.getName()).isEqualTo("simple");
                            assertThat(owner.getUid()).isEqualTo(cluster.getMetadata().getUid());
                            assertThat(owner.getController()).isFalse();
                        });
    }

    @Test
    void anAutoscalerOfAClusterNotThereYetIsLeftAsItIs() {
        DaskAutoscaler autoscaler = client.resource(autoscaler("later")).create();

        ClusterAdoption.adopt(client, DaskAutoscaler.class, autoscaler, "later");

        assertThat(get("later-autoscaler").getMetadata().getOwnerReferences())
                .extracting(OwnerReference::getKind)
                .isEmpty();
    }

    private DaskAutoscaler get(String name) {
        return client.resources(DaskAutoscaler.class).inNamespace("default").withName(name).get();
    }

    private static DaskAutoscaler autoscaler(String cluster) {
        return Serialization.unmarshal(
                """
                apiVersion: kubernetes.dask.org/v1
                kind: DaskAutoscaler
                metadata:
                  name: %1$s-autoscaler
                  namespace: default
                spec:
                  cluster: %1$s
                  minimum: 1
                  maximum: 5
                """
                        .formatted(cluster),
                DaskAutoscaler.class);
    }
}
