package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterCatalog;
import io.daskkubernetes.cluster.ClusterSummary;
import io.daskkubernetes.model.ClusterLease;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gc}: deletes the clusters whose client stopped renewing their lease. */
@Command(
        name = "gc",
        description = {
            "Delete clusters whose lease expired: their client died without closing them.",
            "A client renews its cluster's lease every third of kubernetes.lease-duration"
                    + " (60 s by default); 'list' shows an expired one as expired."
        },
        footer = {"%n%nExample:", "  dask-kubernetes gc --dry-run", "  dask-kubernetes gc -A"})
final class GcCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Option(
            names = {"-A", "--all-namespaces"},
            description = "Collect in every namespace.")
    boolean allNamespaces;

    @Option(names = "--dry-run", description = "Print what would be deleted, and delete nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        try (KubernetesTarget target = root.target()) {
            ClusterCatalog catalog = new ClusterCatalog(target.client());
            List<ClusterSummary> expired =
                    catalog.list(allNamespaces ? null : target.namespace()).stream()
                            .filter(ClusterSummary::expired)
                            .toList();
            if (expired.isEmpty()) {
                System.out.println("no cluster has an expired lease");
                return 0;
            }
            for (ClusterSummary cluster : expired) {
                if (dryRun) {
                    System.out.println(
                            "would delete cluster "
                                    + cluster.name()
                                    + " (namespace "
                                    + cluster.namespace()
                                    + "): lease expired");
                    continue;
                }
                Optional<ClusterLease> deleted =
                        catalog.deleteIfExpired(cluster.namespace(), cluster.name());
                System.out.println(
                        deleted.map(
                                        lease ->
                                                "deleted cluster "
                                                        + cluster.name()
                                                        + " (namespace "
                                                        + cluster.namespace()
                                                        + "): lease of "
                                                        + lease.holderIdentity()
                                                        + " expired at "
                                                        + lease.expiresAt())
                                .orElse(
                                        "kept cluster "
                                                + cluster.name()
                                                + ": its lease was renewed meanwhile"));
            }
            return 0;
        }
    }
}
