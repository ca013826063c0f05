package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.local.LocalKubernetes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the seed's example end to end on the local runtime: a cluster from
 * examples/worker-spec.yml, 3 workers, {@code da.ones((1000, 1000, 1000), chunks=(100, 100,
 * 10)).mean()}.
 */
@Command(
        name = "demo",
        description = "Run the dask-kubernetes documentation's example on the local runtime.",
        footer = {"%n%nExample:", "  dask-kubernetes demo"})
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--spec",
            paramLabel = "FILE",
            description =
                    "Worker spec (default: examples/worker-spec.yml, else the built-in copy).")
    Path spec;

    @Option(names = "--workers", paramLabel = "N", description = "Number of workers (default: 3).")
    int workers = 3;

    @Option(
            names = "--size",
            paramLabel = "N",
            description = "Edge of the array (default: 1000, as the documentation).")
    int size = 1000;

    @Override
    public Integer call() throws Exception {
        Progress progress = Progress.onStandardError();
        DaskInstallation.ensure(progress);
        Path workDir = Files.createTempDirectory("dask-kubernetes-demo-");
        try (ShutdownSequence shutdown = new ShutdownSequence()) {
            Path workerSpec = spec != null ? spec : builtIn("worker-spec.yml", workDir);
            Path script = builtIn("array_mean.py", workDir);
            progress.step("Starting the local Kubernetes runtime");
            LocalKubernetes runtime =
                    shutdown.add(LocalKubernetes.builder().closeAtExit(false).start());
            progress.step("Starting the scheduler of a cluster from " + workerSpec);
            KubeCluster cluster =
                    shutdown.add(
                            KubeCluster.builder()
                                    .closeAtExit(false)
                                    .kubernetesClient(runtime.client())
                                    .workerTemplate(workerSpec)
                                    .scaleOnStart(false)
                                    .start());
            progress.step(
                    "Scheduler at "
                            + cluster.schedulerAddress()
                            + ", dashboard "
                            + cluster.dashboardLink());
            cluster.dashboardProblem().ifPresent(problem -> progress.step("Note: " + problem));
            progress.step("Scaling to " + workers + " workers");
            cluster.scale(workers);
            progress.awaitWorkers(cluster, workers, 300);
            progress.step(
                    "Computing da.ones(("
                            + size
                            + ", "
                            + size
                            + ", "
                            + size
                            + ")).mean() on the cluster");
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    DaskInstallation.PYTHON.toString(),
                                    script.toString(),
                                    cluster.schedulerAddress()));
            ProcessBuilder python = new ProcessBuilder(command).inheritIO();
            python.environment().putAll(Map.of("DASK_EXAMPLE_SIZE", String.valueOf(size)));
            int exit = python.start().waitFor();
            progress.step(
                    exit == 0
                            ? "Done; closing the cluster"
                            : "The example failed (exit " + exit + "); closing the cluster");
            return exit;
        } finally {
            deleteTree(workDir);
        }
    }

    /** examples/NAME when run from the project, else the copy built into the jar. */
    private static Path builtIn(String name, Path workDir) throws IOException {
        Path inProject = Path.of("examples", name);
        if (Files.isReadable(inProject)) {
            return inProject.toAbsolutePath();
        }
        try (InputStream resource = DemoCommand.class.getResourceAsStream("/examples/" + name)) {
            if (resource == null) {
                throw new IllegalStateException(
                        "the jar has no built-in examples/" + name + "; pass --spec");
            }
            Path copy = workDir.resolve(name);
            Files.copy(resource, copy);
            return copy;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
