package io.daskkubernetes.cli;

import io.daskkubernetes.ui.WebConsole;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ui}: the web console of every Dask cluster, until Ctrl-C. */
@Command(
        name = "ui",
        description =
                "Serve a web console of every Dask cluster (classic and DaskCluster) in the"
                        + " namespaces you can read, until Ctrl-C; prints its URL with a one-time"
                        + " token.",
        footer = {
            "%n%nExamples:",
            "  dask-kubernetes ui",
            "  dask-kubernetes -n team-a ui --allow-scaling",
            "  dask-kubernetes ui --address 0.0.0.0 --port 8789"
        })
final class UiCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Mixin ConsoleFlags console;

    @Override
    public Integer call() throws Exception {
        try (ShutdownSequence shutdown = new ShutdownSequence()) {
            KubernetesTarget target = shutdown.add(root.target());
            // -n shows one namespace; without it, every namespace the user may read.
            WebConsole web =
                    shutdown.add(
                            WebConsole.start(target.client(), console.options(root.namespace)));
            System.out.println("web console: " + web.url());
            System.out.flush();
            Progress.onStandardError().step("Web console running; press Ctrl-C to stop it");
            shutdown.awaitSignal();
            return 0;
        }
    }
}
