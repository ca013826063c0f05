package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterCatalog;
import io.daskkubernetes.cluster.ClusterSummary;
import io.daskkubernetes.operator.client.OperatorClusterCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code list}: the clusters of a namespace, or of all with -A. */
@Command(
        name = "list",
        description =
                "List Dask clusters: those of dask-kubernetes (KIND classic) and the Dask"
                        + " operator's DaskClusters (KIND operator).",
        footer = {"%n%nExample:", "  dask-kubernetes list", "  dask-kubernetes -o json list"})
final class ListCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Option(
            names = {"-A", "--all-namespaces"},
            description = "List the clusters of every namespace.")
    boolean allNamespaces;

    @Override
    public Integer call() {
        try (KubernetesTarget target = root.target()) {
            String namespace = allNamespaces ? null : target.namespace();
            // classic clusters first, then the DaskClusters of the Dask operator (none without
            // its CRD)
            List<ClusterSummary> clusters =
                    new ArrayList<>(new ClusterCatalog(target.client()).list(namespace));
            clusters.addAll(new OperatorClusterCatalog(target.client()).list(namespace));
            Output.print(
                    root.output,
                    clusters,
                    List.of(
                            "NAME",
                            "NAMESPACE",
                            "USER",
                            "SCHEDULER",
                            "WORKERS",
                            "RUNNING",
                            "ADDRESS (FROM HERE)",
                            "ADDRESS (IN CLUSTER)",
                            "LEASE",
                            "KIND"),
                    c ->
                            List.of(
                                    c.name(),
                                    c.namespace(),
                                    String.valueOf(c.user()),
                                    c.schedulerPhase(),
                                    String.valueOf(c.workers()),
                                    String.valueOf(c.runningWorkers()),
                                    c.schedulerAddressFromHere() == null
                                            ? "- (not reachable from here)"
                                            : c.schedulerAddressFromHere(),
                                    String.valueOf(c.schedulerAddress()),
                                    c.lease(),
                                    c.kind()));
            return 0;
        }
    }
}
