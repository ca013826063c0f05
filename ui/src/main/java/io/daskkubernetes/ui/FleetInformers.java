package io.daskkubernetes.ui;

import io.daskkubernetes.model.DaskLabels;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the console shows from Kubernetes, kept current by informers (one list, then a watch
 * each; {@code inform()} returns once the first list is in): a page view reads these caches and
 * never asks the API server itself.
 */
final class FleetInformers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FleetInformers.class);

    private final String namespace;
    private final SharedIndexInformer<ConfigMap> owners;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Event> events;
    private final KubernetesClient client;
    private final OwnerChanges changes;
    // Null until the kind's CRD is installed; set once by watchInstalledDaskKinds.
    private volatile SharedIndexInformer<DaskCluster> daskClusters;
    private volatile SharedIndexInformer<DaskAutoscaler> autoscalers;
    private boolean closed;

    /**
     * @param namespace the one namespace to show, or null for every namespace
     * @param changes told of owners and DaskClusters that change, to record scaling decisions
     */
    FleetInformers(KubernetesClient client, String namespace, OwnerChanges changes) {
        this.namespace = namespace;
        this.client = client;
        this.changes = changes;
        this.owners =
                scoped(client.configMaps())
                        .withLabel(DaskLabels.COMPONENT, DaskLabels.COMPONENT_CLUSTER)
                        .inform(changes.classic(), 0);
        this.pods = scoped(client.pods()).withLabel(DaskLabels.CLUSTER_NAME).inform();
        this.services = scoped(client.services()).withLabel(DaskLabels.CLUSTER_NAME).inform();
        this.events = scoped(client.v1().events()).inform();
        boolean operatorInstalled = watchInstalledDaskKinds();
        log.info(
                "Console informers synced ({}; DaskClusters {})",
                namespace == null ? "all namespaces" : "namespace " + namespace,
                operatorInstalled ? "watched" : "not installed yet");
    }

    /**
     * Starts watching each kubernetes.dask.org kind the console shows whose CRD is installed now
     * and was not watched yet: called at start, then now and then by {@link DaskKindsDiscovery}, so
     * that an operator installed after the console started is seen.
     *
     * @return whether every such kind is watched now (no need to ask again)
     */
    synchronized boolean watchInstalledDaskKinds() {
        if (closed) {
            return true;
        }
        if (daskClusters == null && installed(DaskCluster.class)) {
            daskClusters =
                    scoped(client.resources(DaskCluster.class)).inform(changes.daskClusters(), 0);
            log.info("Watching DaskClusters: their CRD is installed");
        }
        if (autoscalers == null && installed(DaskAutoscaler.class)) {
            autoscalers = scoped(client.resources(DaskAutoscaler.class)).inform();
            log.info("Watching DaskAutoscalers: their CRD is installed");
        }
        return daskClusters != null && autoscalers != null;
    }

    private <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
            FilterWatchListDeletable<T, L, R> scoped(MixedOperation<T, L, R> operation) {
        return namespace == null ? operation.inAnyNamespace() : operation.inNamespace(namespace);
    }

    /** Whether the kind's resource exists: without its CRD an informer would retry forever. */
    private boolean installed(Class<? extends HasMetadata> kind) {
        try {
            scoped(client.resources(kind)).list(new ListOptionsBuilder().withLimit(1L).build());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private List<SharedIndexInformer<?>> all() {
        return Stream.of(owners, pods, services, events, daskClusters, autoscalers)
                .filter(Objects::nonNull)
                .<SharedIndexInformer<?>>map(i -> i)
                .toList();
    }

    /** Every cluster, classic first, each kind by namespace and name. */
    List<ClusterKey> clusters() {
        List<ClusterKey> keys = new ArrayList<>();
        for (ConfigMap owner : owners.getStore().list()) {
            keys.add(
                    new ClusterKey(
                            ClusterKey.CLASSIC,
                            owner.getMetadata().getNamespace(),
                            owner.getMetadata().getName()));
        }
        SharedIndexInformer<DaskCluster> watched = daskClusters;
        if (watched != null) {
            for (DaskCluster cluster : watched.getStore().list()) {
                keys.add(
                        new ClusterKey(
                                ClusterKey.DASK_CLUSTER,
                                cluster.getMetadata().getNamespace(),
                                cluster.getMetadata().getName()));
            }
        }
        keys.sort(
                java.util.Comparator.comparing(ClusterKey::kind)
                        .reversed()
                        .thenComparing(ClusterKey::namespace)
                        .thenComparing(ClusterKey::name));
        return keys;
    }

    Optional<ConfigMap> owner(ClusterKey key) {
        return Optional.ofNullable(owners.getStore().getByKey(key.namespace() + "/" + key.name()));
    }

    Optional<DaskCluster> daskCluster(ClusterKey key) {
        SharedIndexInformer<DaskCluster> watched = daskClusters;
        return watched == null
                ? Optional.empty()
                : Optional.ofNullable(
                        watched.getStore().getByKey(key.namespace() + "/" + key.name()));
    }

    /** The DaskAutoscaler whose spec.cluster names this DaskCluster, if any. */
    Optional<DaskAutoscaler> autoscaler(ClusterKey key) {
        SharedIndexInformer<DaskAutoscaler> watched = autoscalers;
        if (watched == null) {
            return Optional.empty();
        }
        return watched.getStore().list().stream()
                .filter(a -> key.namespace().equals(a.getMetadata().getNamespace()))
                .filter(a -> a.getSpec() != null && key.name().equals(a.getSpec().getCluster()))
                .findFirst();
    }

    /** The cluster's pods, scheduler and workers, by name. */
    List<Pod> pods(ClusterKey key) {
        return pods.getStore().list().stream()
                .filter(p -> key.namespace().equals(p.getMetadata().getNamespace()))
                .filter(
                        p ->
                                key.name()
                                        .equals(
                                                p.getMetadata()
                                                        .getLabels()
                                                        .get(DaskLabels.CLUSTER_NAME)))
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    /** A pod of some Dask cluster, or empty when there is no such pod in the caches. */
    Optional<Pod> daskPod(String namespace, String name) {
        return Optional.ofNullable(pods.getStore().getByKey(namespace + "/" + name));
    }

    /**
     * The scheduler's Service: {@code <name>} for a classic cluster, {@code <name>-scheduler} for a
     * DaskCluster, as upstream names them.
     */
    Optional<Service> schedulerService(ClusterKey key) {
        String service = key.classic() ? key.name() : key.name() + "-scheduler";
        return Optional.ofNullable(services.getStore().getByKey(key.namespace() + "/" + service));
    }

    /**
     * Events about the cluster's objects: its owner or DaskCluster, and every object whose name
     * starts with the cluster's name and a dash (its pods, Service, worker groups), even deleted
     * ones.
     */
    List<Event> events(ClusterKey key) {
        String prefix = key.name() + "-";
        return events.getStore().list().stream()
                .filter(e -> key.namespace().equals(e.getMetadata().getNamespace()))
                .filter(
                        e -> {
                            String involved =
                                    e.getInvolvedObject() == null
                                            ? null
                                            : e.getInvolvedObject().getName();
                            return involved != null
                                    && (involved.equals(key.name()) || involved.startsWith(prefix));
                        })
                .toList();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (SharedIndexInformer<?> informer : all()) {
            informer.close();
        }
    }

    /** Who hears of changed owners and DaskClusters. */
    interface OwnerChanges {
        ResourceEventHandler<ConfigMap> classic();

        ResourceEventHandler<DaskCluster> daskClusters();
    }
}
