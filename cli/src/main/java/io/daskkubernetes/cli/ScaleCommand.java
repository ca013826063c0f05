package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterCatalog;
import io.daskkubernetes.operator.client.OperatorClusterCatalog;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scale NAME N}: resize a running cluster; workers leave through the scheduler, keeping
 * their data.
 */
@Command(
        name = "scale",
        description =
                "Scale a cluster to N workers; for a DaskCluster of the Dask operator, its default"
                        + " worker group (and its DaskAutoscaler is deleted, as upstream's scale"
                        + " does).",
        footer = {"%n%nExample:", "  dask-kubernetes scale dask-jovyan-0a1b2c3d4e 5"})
final class ScaleCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name (see list).")
    String name;

    @Parameters(index = "1", paramLabel = "N", description = "Number of workers.")
    int workers;

    private static Instant requestedAt() {
        return ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    }

    @Override
    public Integer call() {
        if (workers < 0) {
            throw new ParameterException(
                    root.spec.commandLine().getSubcommands().get("scale"),
                    "N is " + workers + "; use 0 or more workers");
        }
        try (KubernetesTarget target = root.target()) {
            OperatorClusterCatalog operatorClusters = new OperatorClusterCatalog(target.client());
            if (operatorClusters.exists(target.namespace(), name)) {
                // the operator retires the workers its scheduler names; adapting stops, as upstream
                operatorClusters.scale(target.namespace(), name, workers);
                System.out.println(
                        "DaskCluster "
                                + name
                                + " scaled to "
                                + workers
                                + (workers == 1 ? " worker" : " workers"));
                return 0;
            }
            // The cluster's own owner object says what it is; this machine's Dask configuration
            // plays no part, so a broken ~/.config/dask file cannot block this.
            // The request dates from this command's start, so that of scale commands typed in
            // turn the last one wins even when an earlier one's JVM was slower to start.
            ClusterCatalog.ScaleResult result =
                    new ClusterCatalog(target.client())
                            .scale(target.namespace(), name, workers, requestedAt());
            int scaledTo = result.reached();
            System.out.println(
                    "cluster "
                            + name
                            + " scaled to "
                            + scaledTo
                            + (scaledTo == 1 ? " worker" : " workers")
                            + (result.superseded()
                                    ? " (a later request replaced this one for "
                                            + result.requested()
                                            + ")"
                                    : ""));
            return 0;
        }
    }
}
