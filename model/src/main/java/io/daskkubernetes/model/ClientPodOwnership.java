package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;

/**
 * Makes the pod a client runs in (a notebook, a job) an owner of its cluster's owner ConfigMap, so
 * that Kubernetes' garbage collector removes the cluster with that pod even when the client had no
 * chance to close it. Owner references cannot cross namespaces: the pod must be in the cluster's.
 */
public final class ClientPodOwnership {

    private ClientPodOwnership() {}

    /**
     * {@code owner} with one more owner reference, to {@code clientPod} as the API server returned
     * it (it needs its uid). Not a controller reference, and it does not block the pod's deletion:
     * the notebook's own lifecycle stays the user's.
     *
     * @throws SpecException when the pod has no uid or lives in another namespace
     */
    public static ConfigMap ownedByClientPod(ConfigMap owner, Pod clientPod) {
        String ownerNamespace = owner.getMetadata().getNamespace();
        String podNamespace = clientPod.getMetadata().getNamespace();
        if (clientPod.getMetadata().getUid() == null) {
            throw new SpecException(
                    "client pod " + clientPod.getMetadata().getName(),
                    "metadata.uid",
                    "is missing",
                    "pass the pod as the API server returned it");
        }
        if (!Objects.equals(ownerNamespace, podNamespace)) {
            throw new SpecException(
                    "client pod " + clientPod.getMetadata().getName(),
                    "metadata.namespace",
                    "is "
                            + podNamespace
                            + ", not the cluster's namespace "
                            + ownerNamespace
                            + ", and owner references cannot cross namespaces",
                    "start the cluster in the pod's namespace to have it deleted with the pod;"
                            + " otherwise the lease and dask-kubernetes gc clean it up");
        }
        OwnerReference reference =
                new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Pod")
                        .withName(clientPod.getMetadata().getName())
                        .withUid(clientPod.getMetadata().getUid())
                        .withController(false)
                        .withBlockOwnerDeletion(false)
                        .build();
        return new ConfigMapBuilder(owner)
                .editMetadata()
                .addToOwnerReferences(reference)
                .endMetadata()
                .build();
    }
}
