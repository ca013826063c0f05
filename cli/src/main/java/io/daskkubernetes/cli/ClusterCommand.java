package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.cluster.ClusterWatch;
import io.daskkubernetes.cluster.KubeCluster;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cluster}: a cluster in the foreground until Ctrl-C or SIGTERM, which close it cleanly. */
@Command(
        name = "cluster",
        description = {
            "Start a Dask cluster and keep it until Ctrl-C.",
            "With --operator, create a DaskCluster (kubernetes.dask.org/v1) for the Dask operator"
                    + " to run instead, as Python's dask_kubernetes.operator.KubeCluster does;"
                    + " --name, --image, --workers, --adapt, --env, --memory-*/--cpu-*,"
                    + " --service-type and --nthreads apply (--workers defaults to 3 there, as"
                    + " upstream), and --spec takes a whole DaskCluster."
        },
        footer = {
            "%n%nExample:",
            "  dask-kubernetes cluster --spec worker-spec.yml --workers 10",
            "  dask-kubernetes --local cluster --spec examples/worker-spec.yml --adapt 1:4",
            "  dask-kubernetes cluster --operator --name my-dask --workers 3 --env EXTRA=1",
            "  dask-kubernetes --local cluster --operator --name demo --adapt 1:4"
        })
final class ClusterCommand implements Callable<Integer> {

    /** How often the cluster is looked at: a loss is reported within a few of these. */
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);

    @ParentCommand DaskKubernetesCommand root;

    @Mixin ClusterOptions options;

    @Option(
            names = "--operator",
            description =
                    "Create a DaskCluster for the Dask operator instead of pods (default: false);"
                            + " with --local the operator runs inside the local runtime. Ctrl-C"
                            + " deletes the DaskCluster.")
    boolean operator;

    @Override
    public Integer call() throws Exception {
        if (operator) {
            return new OperatorClusterRun(root, options).call();
        }
        Progress progress = Progress.onStandardError();
        try (ShutdownSequence shutdown = new ShutdownSequence()) {
            KubeCluster cluster = options.startOn(root, shutdown, progress);
            ClientTlsFiles tls = shutdown.add(ClientTlsFiles.writeFor(cluster));
            new ClusterLocation(
                            cluster.name(),
                            cluster.namespace(),
                            cluster.schedulerAddress(),
                            cluster.schedulerAddressInCluster(),
                            cluster.dashboardLink())
                    .print(root.output);
            if (root.output == OutputFormat.table) {
                tls.howToConnect(cluster).forEach(System.out::println);
            }
            if (root.output != OutputFormat.table) {
                tls.howToConnect(cluster).forEach(line -> progress.step(line.strip()));
            }
            cluster.dashboardProblem().ifPresent(problem -> progress.step("Note: " + problem));
            System.out.flush();
            options.scaleAndWait(cluster, cluster.settings().countStart(), progress);
            // The watch first: its first look is what "lost" is counted from, so that a worker
            // lost the moment the cluster is ready is reported too.
            try (ClusterWatch watch = cluster.watch()) {
                progress.step("Cluster " + cluster.name() + " is ready; press Ctrl-C to close it");
                return holdUntilSignalOrLoss(cluster, watch, shutdown, progress);
            }
        }
    }

    /**
     * Until a signal (exit 0), the cluster deleted elsewhere (exit 0), or a loss that holding it
     * open cannot mend: the scheduler gone (the rest is closed) or Kubernetes gone (nothing can be
     * closed there). Lost workers are replaced by the watch and reported.
     */
    private static int holdUntilSignalOrLoss(
            KubeCluster cluster, ClusterWatch watch, ShutdownSequence shutdown, Progress progress)
            throws InterruptedException {
        while (!shutdown.awaitSignal(WATCH_INTERVAL)) {
            ClusterWatch.Observation seen = watch.check();
            if (shutdown.closing()) {
                break; // a signal came while looking: what was seen is the cluster closing
            }
            switch (seen.verdict()) {
                case HEALTHY -> seen.messages().forEach(progress::step);
                case DELETED_ELSEWHERE -> {
                    seen.messages().forEach(progress::step);
                    return 0;
                }
                case SCHEDULER_LOST ->
                        throw new ClusterException(
                                seen.messages().get(0) + "; closing what is left of the cluster");
                case KUBERNETES_LOST -> {
                    cluster.abandon();
                    throw new ClusterException(seen.messages().get(0));
                }
            }
        }
        return 0;
    }
}
