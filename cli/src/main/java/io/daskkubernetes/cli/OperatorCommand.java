package io.daskkubernetes.cli;

import io.daskkubernetes.operator.DaskOperator;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code operator}: the Dask operator in the foreground, reconciling DaskClusters and
 * DaskWorkerGroups in all namespaces, or in the one given with {@code --namespace}.
 */
@Command(
        name = "operator",
        description =
                "Run the Dask operator (DaskCluster, DaskWorkerGroup) against the kubeconfig's"
                        + " cluster until Ctrl-C.")
final class OperatorCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Option(
            names = "--install-crds",
            description =
                    "Install or update the kubernetes.dask.org CRDs first (otherwise they must be"
                            + " installed: kubectl apply -f deploy/crds/).")
    boolean installCrds;

    @Override
    public Integer call() throws Exception {
        try (ShutdownSequence shutdown = new ShutdownSequence()) {
            KubernetesTarget target = shutdown.add(KubernetesTarget.open(root));
            Set<String> namespaces =
                    root.namespace == null || root.local ? Set.of() : Set.of(root.namespace);
            shutdown.add(
                    DaskOperator.start(
                            target.client(), namespaces, installCrds || target.isLocal()));
            Progress.onStandardError()
                    .step(
                            "Dask operator running in "
                                    + (namespaces.isEmpty() ? "all namespaces" : namespaces)
                                    + "; press Ctrl-C to stop it");
            shutdown.awaitSignal();
            return 0;
        }
    }
}
