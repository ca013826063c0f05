package io.daskkubernetes.operator.client;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the Dask operator to bring a DaskCluster to phase Running, and says which of the two
 * things is wrong when it does not: no operator answered at all (no status), or the operator
 * reported the cluster Error (its message).
 */
final class DaskClusterReadiness {

    static final String RUNNING = "Running";
    static final String ERROR = "Error";

    private final Resource<DaskCluster> cluster;
    private final String description;

    DaskClusterReadiness(Resource<DaskCluster> cluster, String namespace, String name) {
        this.cluster = cluster;
        this.description = "DaskCluster " + namespace + "/" + name;
    }

    /**
     * @param operatorTimeout how long an operator may take to write a first status ({@code
     *     kubernetes.resource-timeout})
     * @param runningTimeout how long it may then take to reach Running
     */
    DaskCluster awaitRunning(Duration operatorTimeout, Duration runningTimeout) {
        DaskCluster seen =
                await(
                        c ->
                                c == null
                                        || (c.getStatus() != null
                                                && c.getStatus().getPhase() != null),
                        operatorTimeout,
                        "got no status from a Dask operator within "
                                + operatorTimeout.toSeconds()
                                + " s (kubernetes.resource-timeout): is the operator running and"
                                + " watching this namespace? Start it with dask-kubernetes"
                                + " operator or the Helm chart in deploy/helm");
        seen =
                await(
                        c -> c == null || phaseIs(c, RUNNING) || phaseIs(c, ERROR),
                        runningTimeout,
                        "did not reach phase Running within "
                                + runningTimeout.toSeconds()
                                + " s (its phase: "
                                + phase(seen)
                                + "); see kubectl describe daskcluster and the scheduler pod's"
                                + " events");
        if (phaseIs(seen, ERROR)) {
            throw new ClusterException(
                    description + " is in phase Error: " + seen.getStatus().getMessage());
        }
        return seen;
    }

    private DaskCluster await(
            java.util.function.Predicate<DaskCluster> done, Duration timeout, String problem) {
        DaskCluster seen;
        try {
            seen = cluster.waitUntilCondition(done, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new ClusterException(description + " " + problem, e);
        }
        if (seen == null) {
            throw new ClusterException(description + " was deleted while starting");
        }
        return seen;
    }

    static boolean phaseIs(DaskCluster cluster, String phase) {
        return phase.equals(phase(cluster));
    }

    static String phase(DaskCluster cluster) {
        return cluster == null || cluster.getStatus() == null
                ? null
                : cluster.getStatus().getPhase();
    }
}
