package io.daskkubernetes.cluster;

import io.daskkubernetes.model.ClientPodOwnership;
import io.daskkubernetes.model.ClusterLease;
import io.daskkubernetes.model.SchedulerLease;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ties a cluster's life to its client's, so that no compute is left running after a client
 * dies without closing it: a lease on the owner that the client renews, the scheduler's idle
 * timeout counting only once the lease lapsed, and the client's pod as an owner when it runs in
 * one.
 */
final class ClientLifetime {

    private static final Logger log = LoggerFactory.getLogger(ClientLifetime.class);

    private final Duration leaseDuration;
    private final Clock clock;
    private final Map<String, String> environment;
    private final Path serviceAccount;

    ClientLifetime(
            Duration leaseDuration,
            Clock clock,
            Map<String, String> environment,
            Path serviceAccount) {
        this.leaseDuration = leaseDuration;
        this.clock = clock;
        this.environment = environment;
        this.serviceAccount = serviceAccount;
    }

    /** This process's, with {@code leaseDuration}. */
    static ClientLifetime ofThisProcess(Duration leaseDuration) {
        return new ClientLifetime(
                leaseDuration, Clock.systemUTC(), System.getenv(), ClientPod.SERVICE_ACCOUNT);
    }

    /** The owner to create: with the first lease, and owned by the client's pod if possible. */
    ConfigMap owner(ConfigMap owner, KubernetesClient client) {
        ConfigMap leased =
                new ConfigMapBuilder(owner)
                        .editMetadata()
                        .addToAnnotations(firstLease().annotations())
                        .endMetadata()
                        .build();
        var pod = ClientPod.find(client, environment, serviceAccount);
        if (pod.isEmpty()) {
            return leased;
        }
        if (!Objects.equals(
                pod.get().getMetadata().getNamespace(), owner.getMetadata().getNamespace())) {
            log.warn(
                    "This client runs in pod {}/{}, but the cluster is in namespace {}: owner"
                            + " references cannot cross namespaces, so the cluster is not deleted"
                            + " with the pod; its lease still expires {} s after the client dies",
                    pod.get().getMetadata().getNamespace(),
                    pod.get().getMetadata().getName(),
                    owner.getMetadata().getNamespace(),
                    leaseDuration.toSeconds());
            return leased;
        }
        log.info(
                "Cluster {} is owned by this client's pod {}: it is deleted with it",
                owner.getMetadata().getName(),
                pod.get().getMetadata().getName());
        return ClientPodOwnership.ownedByClientPod(leased, pod.get());
    }

    /** The scheduler pod, stopping itself once idle after the lease lapsed. */
    Pod scheduler(Pod schedulerPod) {
        return SchedulerLease.decorate(schedulerPod, leaseDuration);
    }

    /** Renews the lease on {@code namespace/name} until closed. */
    LeaseRenewer startRenewing(KubernetesClient client, String namespace, String name) {
        return LeaseRenewer.start(client, namespace, name, firstLease(), clock);
    }

    private ClusterLease firstLease() {
        return ClientLease.first(leaseDuration, clock, environment);
    }
}
