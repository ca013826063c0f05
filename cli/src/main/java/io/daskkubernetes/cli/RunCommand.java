package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.KubeCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code run -- COMMAND}: an ephemeral cluster for the life of one command, whose exit code passes
 * through.
 */
@Command(
        name = "run",
        description =
                "Start a cluster, run COMMAND with DASK_SCHEDULER_ADDRESS set, close the cluster.",
        footer = {
            "%n%nExample:",
            "  dask-kubernetes run --spec worker-spec.yml --adapt 1:50 -- python job.py",
            "  dask-kubernetes --local run --spec examples/worker-spec.yml --workers 2 -- /usr/bin/python3 examples/array_mean.py"
        })
final class RunCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Mixin ClusterOptions options;

    @Parameters(
            arity = "1..*",
            paramLabel = "COMMAND",
            description = "The command to run (after --).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        Progress progress = Progress.onStandardError();
        // Asked while the cluster starts: importing distributed takes the local Python a moment.
        CompletableFuture<Optional<Map<String, String>>> clientVersions =
                CompletableFuture.supplyAsync(() -> LocalPythonVersions.of(command));
        try (ShutdownSequence shutdown = new ShutdownSequence()) {
            KubeCluster cluster = options.startOn(root, shutdown, progress);
            Map<String, Map<String, String>> client =
                    clientVersions
                            .join()
                            .map(versions -> Map.of("client (" + command.get(0) + ")", versions))
                            .orElse(Map.of());
            options.scaleAndWait(cluster, 1, progress, client);
            progress.step(
                    "Running "
                            + String.join(" ", command)
                            + " against "
                            + cluster.schedulerAddress());
            ClientTlsFiles tls = shutdown.add(ClientTlsFiles.writeFor(cluster));
            return new ChildCommand(command)
                    .run(cluster.schedulerAddress(), cluster.dashboardLink(), tls.environment());
        }
    }
}
