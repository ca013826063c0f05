package io.daskkubernetes.cluster;

import io.daskkubernetes.spec.ClusterModel;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and deletes the Kubernetes objects of one cluster. Everything it creates after the
 * owner points to the owner, so that on a real cluster deleting the owner removes the rest even if
 * this process dies; {@link #deleteAll} also deletes them itself, by label, so that {@code close()}
 * is complete and prompt on any API server.
 */
final class ClusterObjects {

    private static final Logger log = LoggerFactory.getLogger(ClusterObjects.class);

    private final KubernetesClient client;
    private final String namespace;
    private final List<String> created = new ArrayList<>();

    ClusterObjects(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    ConfigMap createOwner(ConfigMap owner) {
        return create(owner);
    }

    <T extends HasMetadata> T create(T object) {
        T result = client.resource(object).inNamespace(namespace).create();
        created.add(object.getKind() + "/" + object.getMetadata().getName());
        log.debug("Created {} {}/{}", object.getKind(), namespace, object.getMetadata().getName());
        return result;
    }

    /** Deletes the owner and every object carrying the cluster's labels, then waits for the pods to be gone. */
    void deleteAll(ClusterModel model, Duration waitForPods) {
        Map<String, String> labels = model.clusterLabels();
        client.configMaps().inNamespace(namespace).withName(model.name()).delete();
        client.services().inNamespace(namespace).withLabels(labels).delete();
        client.policy().v1().podDisruptionBudget().inNamespace(namespace).withLabels(labels).delete();
        client.pods().inNamespace(namespace).withLabels(labels).delete();
        try {
            client.pods().inNamespace(namespace).withLabels(labels)
                    .informOnCondition(List::isEmpty).get(waitForPods.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("Pods of cluster {} still terminating after {} s", model.name(), waitForPods.toSeconds());
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("Could not watch the pods of cluster {} go: {}", model.name(), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.debug("Deleted {} and the rest of cluster {}", created, model.name());
    }
}
