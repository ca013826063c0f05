package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.KubeCluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code cluster}: a cluster in the foreground until Ctrl-C or SIGTERM, which close it cleanly. */
@Command(
        name = "cluster",
        description = "Start a Dask cluster and keep it until Ctrl-C.",
        footer = {
            "%n%nExample:",
            "  dask-kubernetes cluster --spec worker-spec.yml --workers 10",
            "  dask-kubernetes --local cluster --spec examples/worker-spec.yml --adapt 1:4"
        })
final class ClusterCommand implements Callable<Integer> {

    private static final Duration OWNER_CHECK = Duration.ofSeconds(2);

    @ParentCommand DaskKubernetesCommand root;

    @Mixin ClusterOptions options;

    @Override
    public Integer call() throws Exception {
        Progress progress = Progress.onStandardError();
        try (ShutdownSequence shutdown = new ShutdownSequence()) {
            KubeCluster cluster = options.startOn(root, shutdown, progress);
            ClientTlsFiles tls = shutdown.add(ClientTlsFiles.writeFor(cluster));
            if (root.output == OutputFormat.table) {
                System.out.println(
                        "cluster:   "
                                + cluster.name()
                                + " (namespace "
                                + cluster.namespace()
                                + ")");
                System.out.println("scheduler: " + cluster.schedulerAddress());
                System.out.println("dashboard: " + cluster.dashboardLink());
                tls.howToConnect(cluster).forEach(System.out::println);
            } else {
                Output.printRecord(
                        root.output,
                        Map.of(
                                "name", cluster.name(),
                                "namespace", cluster.namespace(),
                                "scheduler", cluster.schedulerAddress(),
                                "schedulerInCluster", cluster.schedulerAddressInCluster(),
                                "dashboard", cluster.dashboardLink()));
            }
            if (root.output != OutputFormat.table) {
                tls.howToConnect(cluster).forEach(line -> progress.step(line.strip()));
            }
            cluster.dashboardProblem().ifPresent(problem -> progress.step("Note: " + problem));
            System.out.flush();
            options.scaleAndWait(cluster, cluster.settings().countStart(), progress);
            progress.step("Cluster " + cluster.name() + " is ready; press Ctrl-C to close it");
            // Until a signal, or until someone deletes the cluster (dask-kubernetes delete,
            // kubectl).
            while (!shutdown.awaitSignal(OWNER_CHECK)) {
                if (cluster.deletedElsewhere()) {
                    progress.step("Cluster " + cluster.name() + " was deleted elsewhere; closing");
                    return 0;
                }
            }
            return 0;
        }
    }
}
