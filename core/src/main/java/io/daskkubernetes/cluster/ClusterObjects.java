package io.daskkubernetes.cluster;

import io.daskkubernetes.model.ClusterModel;
import io.daskkubernetes.model.ClusterTls;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and deletes the Kubernetes objects of one cluster. Everything it creates after the owner
 * points to the owner, so that on a real cluster deleting the owner removes the rest even if this
 * process dies; {@link #deleteAll} also deletes them itself, by label, so that {@code close()} is
 * complete and prompt on any API server.
 */
final class ClusterObjects {

    private static final Logger log = LoggerFactory.getLogger(ClusterObjects.class);

    private static final Duration POD_POLL = Duration.ofMillis(200);

    private final KubernetesClient client;
    private final String namespace;
    private final List<String> created = new ArrayList<>();

    ClusterObjects(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    ConfigMap createOwner(ConfigMap owner) {
        try {
            return create(owner);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                throw new ClusterException(
                        "a Dask cluster (or another ConfigMap) named "
                                + owner.getMetadata().getName()
                                + " already exists in namespace "
                                + namespace
                                + "; choose another name (kubernetes.name, --name)"
                                + " or delete it first (dask-kubernetes delete "
                                + owner.getMetadata().getName()
                                + ")",
                        e);
            }
            throw e;
        }
    }

    <T extends HasMetadata> T create(T object) {
        T result = client.resource(object).inNamespace(namespace).create();
        created.add(object.getKind() + "/" + object.getMetadata().getName());
        log.debug("Created {} {}/{}", object.getKind(), namespace, object.getMetadata().getName());
        return result;
    }

    /**
     * Polls rather than watches: a watch that starts after the list may miss a deletion on an API
     * server that does not replay events from the list's resourceVersion, and then wait in vain.
     */
    private void awaitPodsGone(Map<String, String> labels, String clusterName, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!client.pods()
                .inNamespace(namespace)
                .withLabels(labels)
                .list()
                .getItems()
                .isEmpty()) {
            if (System.nanoTime() > deadline) {
                log.warn(
                        "Pods of cluster {} still terminating after {} s",
                        clusterName,
                        wait.toSeconds());
                return;
            }
            try {
                Thread.sleep(POD_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Deletes the owner and every object carrying the cluster's labels, then waits for the pods to
     * be gone.
     */
    void deleteAll(ClusterModel model, Duration waitForPods) {
        Map<String, String> labels = model.clusterLabels();
        // The owner first: a ClusterWatch that then sees the pods go knows the cluster was deleted.
        client.configMaps().inNamespace(namespace).withName(model.name()).delete();
        client.services().inNamespace(namespace).withLabels(labels).delete();
        if (model.tls()) {
            // Only a TLS cluster has one: others must not need the right to delete Secrets.
            client.secrets()
                    .inNamespace(namespace)
                    .withName(ClusterTls.secretName(model.name()))
                    .delete();
        }
        client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(namespace)
                .withLabels(labels)
                .delete();
        client.pods().inNamespace(namespace).withLabels(labels).delete();
        awaitPodsGone(labels, model.name(), waitForPods);
        log.debug("Deleted {} and the rest of cluster {}", created, model.name());
    }
}
