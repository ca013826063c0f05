package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterCatalog;
import io.daskkubernetes.operator.client.OperatorClusterCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code delete NAME}: everything of a cluster, gone. */
@Command(
        name = "delete",
        description =
                "Delete a cluster: its scheduler, workers and Service; for a DaskCluster of the"
                        + " Dask operator, the DaskCluster.",
        footer = {"%n%nExample:", "  dask-kubernetes delete dask-jovyan-0a1b2c3d4e"})
final class DeleteCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name (see list).")
    String name;

    @Override
    public Integer call() {
        try (KubernetesTarget target = root.target()) {
            OperatorClusterCatalog operatorClusters = new OperatorClusterCatalog(target.client());
            if (operatorClusters.exists(target.namespace(), name)) {
                // the operator deletes what it made for the DaskCluster
                operatorClusters.delete(target.namespace(), name);
            } else {
                new ClusterCatalog(target.client()).delete(target.namespace(), name);
            }
            System.out.println("cluster " + name + " deleted");
            return 0;
        }
    }
}
