package io.daskkubernetes.cli;

import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.operator.DaskOperator;
import io.daskkubernetes.ui.WebConsole;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code local}: the local runtime in the foreground, for kubectl and for other dask-kubernetes
 * commands.
 */
@Command(
        name = "local",
        description = "Run the local Kubernetes runtime until Ctrl-C and print its kubeconfig.",
        footer = {
            "%n%nExample:",
            "  dask-kubernetes local",
            "  KUBECONFIG=<printed path> kubectl get pods"
        })
final class LocalCommand implements Callable<Integer> {

    @Option(
            names = "--operator",
            description =
                    "Also install the kubernetes.dask.org CRDs and run the Dask operator inside,"
                            + " so that kubectl apply -f of a DaskCluster works.")
    boolean operator;

    @Option(
            names = "--ui",
            description =
                    "Also serve the web console of the runtime's Dask clusters and print its URL"
                            + " (see 'dask-kubernetes ui --help' for --address, --allow-scaling...).")
    boolean ui;

    @Mixin ConsoleFlags console;

    @Option(
            names = "--outside-network",
            description =
                    "Also make a network namespace that plays a machine outside the cluster: from"
                            + " it the API server answers at the kubeconfig's address, but no"
                            + " cluster or pod IP is routable, so clients must port-forward as"
                            + " with a remote cluster (needs root). Run a command there with: ip"
                            + " netns exec NAME COMMAND.")
    boolean outsideNetwork;

    @Override
    public Integer call() throws Exception {
        try (ShutdownSequence shutdown = new ShutdownSequence()) {
            LocalKubernetes runtime =
                    shutdown.add(
                            LocalKubernetes.builder()
                                    .closeAtExit(false)
                                    .image(OperatorImage.REPOSITORY, OperatorImage.config())
                                    .start());
            if (operator) {
                // added after the runtime, so closed before it: the operator stops first
                shutdown.add(DaskOperator.start(runtime.client(), Set.of(), true));
                System.out.println("operator: running (DaskCluster, DaskWorkerGroup)");
            }
            if (ui) {
                // added after the runtime (and operator), so closed before them
                WebConsole web =
                        shutdown.add(WebConsole.start(runtime.client(), console.options(null)));
                System.out.println("web console: " + web.url());
            }
            if (outsideNetwork) {
                // added after the runtime, so closed before it
                OutsideNetwork outside =
                        shutdown.add(
                                OutsideNetwork.reachingApiServerAt(
                                        URI.create(runtime.apiServerUrl()).getPort()));
                System.out.println(
                        "outside network: "
                                + outside.name()
                                + " (run a client there with: ip netns exec "
                                + outside.name()
                                + " COMMAND)");
            }
            System.out.println("kubeconfig: " + runtime.kubeconfig());
            System.out.println(
                    "image "
                            + OperatorImage.REPOSITORY
                            + ": runs this dask-kubernetes (helm install of"
                            + " deploy/helm/dask-kubernetes-operator works here)");
            System.out.println("api server: " + runtime.apiServerUrl());
            System.out.println("use: kubectl --kubeconfig " + runtime.kubeconfig() + " get pods");
            System.out.println(
                    "     dask-kubernetes --kubeconfig "
                            + runtime.kubeconfig()
                            + " cluster --spec worker-spec.yml");
            System.out.flush();
            Progress.onStandardError()
                    .step("Local runtime running; press Ctrl-C to stop it and everything on it");
            shutdown.awaitSignal();
            return 0;
        }
    }
}
