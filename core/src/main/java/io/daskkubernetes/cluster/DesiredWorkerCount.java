package io.daskkubernetes.cluster;

import io.daskkubernetes.model.DesiredWorkers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desired worker count of one cluster, stored in its owner ConfigMap. Writes replace the owner
 * at the resourceVersion they read, and retry on a conflict, so that two scalers writing at once
 * never lose an update silently: one of them is read back by the other.
 */
final class DesiredWorkerCount {

    private static final Logger log = LoggerFactory.getLogger(DesiredWorkerCount.class);
    private static final int ATTEMPTS = 20;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    DesiredWorkerCount(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /**
     * Records {@code request} unless a request made later is already stored; returns what is stored
     * afterwards (the request, or the later one that stands against it).
     */
    DesiredWorkers record(DesiredWorkers request) {
        for (int attempt = 1; ; attempt++) {
            ConfigMap owner = owner();
            Optional<DesiredWorkers> stored = DesiredWorkers.of(owner);
            if (stored.isPresent() && stored.get().supersedes(request)) {
                log.info(
                        "A later request for {} workers of {} stands against this one for {}",
                        stored.get().workers(),
                        name,
                        request.workers());
                return stored.get();
            }
            ConfigMap updated = new ConfigMapBuilder(owner).addToData(request.ownerData()).build();
            try {
                // update() sends the resourceVersion that was read: a write made meanwhile gives
                // 409.
                client.configMaps().inNamespace(namespace).resource(updated).update();
                return request;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
                log.debug("Owner {} changed while recording {}; reading it again", name, request);
            }
        }
    }

    /** The stored request, or empty when no scaler has recorded one. */
    Optional<DesiredWorkers> read() {
        return DesiredWorkers.of(owner());
    }

    private ConfigMap owner() {
        ConfigMap owner = client.configMaps().inNamespace(namespace).withName(name).get();
        if (owner == null) {
            throw new ClusterException(
                    "cluster "
                            + name
                            + " has no owner ConfigMap any more: it was deleted; nothing to scale");
        }
        return owner;
    }
}
