package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** The client's pod as an owner of the cluster, so that Kubernetes' GC removes both together. */
class ClientPodOwnershipTest {

    private final ClusterModel model =
            ClusterModel.of(
                    ClusterSettings.of(
                            "c1",
                            PodTemplates.fromYamlString(
                                    """
                                    kind: Pod
                                    spec:
                                      containers:
                                      - name: dask
                                        image: ghcr.io/dask/dask:latest
                                        args: [dask-worker, --nthreads, '1', --death-timeout, '60']
                                    """,
                                    "test")),
                    "team-a",
                    new java.util.Random(1));

    @Test
    void theOwnerGetsAReferenceToTheClientPodThatDoesNotBlockItsDeletion() {
        ConfigMap owner =
                ClientPodOwnership.ownedByClientPod(model.owner(), pod("notebook-0", "team-a"));

        assertThat(owner.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(
                        (OwnerReference reference) -> {
                            assertThat(reference.getApiVersion()).isEqualTo("v1");
                            assertThat(reference.getKind()).isEqualTo("Pod");
                            assertThat(reference.getName()).isEqualTo("notebook-0");
                            assertThat(reference.getUid()).isEqualTo("uid-notebook-0");
                            assertThat(reference.getController()).isFalse();
                            assertThat(reference.getBlockOwnerDeletion()).isFalse();
                        });
        assertThat(owner.getData()).isEqualTo(model.owner().getData());
        assertThat(model.owner().getMetadata().getOwnerReferences())
                .as("the model's own owner is left alone")
                .isNullOrEmpty();
    }

    @Test
    void aPodInAnotherNamespaceCannotOwnTheCluster() {
        assertThatThrownBy(
                        () ->
                                ClientPodOwnership.ownedByClientPod(
                                        model.owner(), pod("notebook-0", "team-b")))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("metadata.namespace")
                .hasMessageContaining("team-b")
                .hasMessageContaining("cannot cross namespaces");
    }

    @Test
    void aPodWithoutUidIsRefused() {
        Pod pod = pod("notebook-0", "team-a");
        pod.getMetadata().setUid(null);
        assertThatThrownBy(() -> ClientPodOwnership.ownedByClientPod(model.owner(), pod))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("metadata.uid");
    }

    private static Pod pod(String name, String namespace) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withUid("uid-" + name)
                .endMetadata()
                .build();
    }
}
