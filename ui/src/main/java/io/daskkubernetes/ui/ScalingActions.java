package io.daskkubernetes.ui;

import io.daskkubernetes.cluster.ClusterCatalog;
import io.daskkubernetes.operator.api.DaskAutoscaler;
import io.daskkubernetes.operator.api.DaskAutoscalerSpec;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writes the console makes, and only when started with {@code --allow-scaling}: a classic
 * cluster is scaled as {@code dask-kubernetes scale} does (through its scheduler, the stored count
 * and its owner); a DaskCluster by its {@code spec.worker.replicas}, and made to adapt by a
 * DaskAutoscaler of its name, for the operator to act on.
 */
final class ScalingActions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScalingActions.class);

    private final KubernetesClient client;
    private final ClusterFacts facts;
    private final ClusterHistory history;
    // A classic scale waits for its pods (up to a minute): it runs here, not on a page's request.
    private final ExecutorService scalers =
            Executors.newFixedThreadPool(
                    2,
                    r -> {
                        Thread thread = new Thread(r, "console-scale");
                        thread.setDaemon(true);
                        return thread;
                    });

    ScalingActions(KubernetesClient client, ClusterFacts facts, ClusterHistory history) {
        this.client = client;
        this.facts = facts;
        this.history = history;
    }

    /** Starts scaling; what came of it shows in the cluster's decisions and events. */
    void scale(ClusterKey key, int workers) {
        if (workers < 0) {
            throw new BadRequest("workers: " + workers + "; give 0 or more");
        }
        if (!key.classic()) {
            client.resources(DaskCluster.class)
                    .inNamespace(key.namespace())
                    .withName(key.name())
                    .edit(
                            cluster -> {
                                cluster.getSpec().getWorker().setReplicas(workers);
                                return cluster;
                            });
            return;
        }
        facts.adaptiveBounds(key)
                .ifPresent(
                        b -> {
                            throw new Conflict(
                                    "cluster "
                                            + key.name()
                                            + " adapts between "
                                            + b[0]
                                            + " and "
                                            + b[1]
                                            + " workers in the process that started it; its"
                                            + " adaptive loop would undo a scale to "
                                            + workers);
                        });
        Instant requestedAt = Instant.now();
        scalers.execute(
                () -> {
                    try {
                        ClusterCatalog.ScaleResult result =
                                new ClusterCatalog(client)
                                        .scale(key.namespace(), key.name(), workers, requestedAt);
                        log.info("Console scaled {} to {}", key, result.reached());
                    } catch (RuntimeException e) {
                        log.warn(
                                "Console could not scale {} to {}: {}",
                                key,
                                workers,
                                e.getMessage());
                        history.decided(
                                key,
                                new ClusterHistory.Decision(
                                        Instant.now(),
                                        "scale to " + workers + " failed: " + e.getMessage(),
                                        false));
                    }
                });
    }

    /** Makes a DaskCluster adapt between the bounds, through a DaskAutoscaler of its name. */
    void adapt(ClusterKey key, int minimum, int maximum) {
        if (key.classic()) {
            throw new Conflict(
                    "a classic cluster adapts in the process that started it (its adaptive loop"
                            + " runs there); call adapt() or run 'dask-kubernetes run --adapt' there");
        }
        if (minimum < 0 || maximum < minimum) {
            throw new BadRequest(
                    "minimum "
                            + minimum
                            + ", maximum "
                            + maximum
                            + "; give 0 <= minimum <= maximum");
        }
        DaskAutoscalerSpec spec = new DaskAutoscalerSpec();
        spec.setCluster(key.name());
        spec.setMinimum(minimum);
        spec.setMaximum(maximum);
        DaskAutoscaler autoscaler = new DaskAutoscaler();
        autoscaler.setMetadata(
                new ObjectMetaBuilder()
                        .withName(key.name())
                        .withNamespace(key.namespace())
                        .build());
        autoscaler.setSpec(spec);
        client.resources(DaskAutoscaler.class)
                .inNamespace(key.namespace())
                .resource(autoscaler)
                .createOr(NonDeletingOperation::update);
    }

    @Override
    public void close() {
        scalers.shutdownNow();
    }

    /** A request whose values are wrong: answered 400 with this message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** A request that the cluster's state refuses: answered 409 with this message. */
    static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message);
        }
    }
}
