package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterCatalog;
import io.daskkubernetes.cluster.ClusterSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code list}: the clusters of a namespace, or of all with -A. */
@Command(
        name = "list",
        description = "List Dask clusters.",
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
            List<ClusterSummary> clusters =
                    new ClusterCatalog(target.client())
                            .list(allNamespaces ? null : target.namespace());
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
                            "LEASE"),
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
                                    c.lease()));
            return 0;
        }
    }
}
