package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterCatalog;
import io.daskkubernetes.operator.client.OperatorClusterCatalog;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code logs NAME [--worker W] [--follow]}: the scheduler's and workers' logs. */
@Command(
        name = "logs",
        description = "Print the logs of a cluster's scheduler and workers.",
        footer = {"%n%nExample:", "  dask-kubernetes logs dask-jovyan-0a1b2c3d4e"})
final class LogsCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name (see list).")
    String name;

    @Option(names = "--worker", paramLabel = "POD", description = "Only this worker's log.")
    String worker;

    @Option(
            names = {"-f", "--follow"},
            description = "With --worker: keep printing as the log grows, until Ctrl-C.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        try (KubernetesTarget target = root.target()) {
            ClusterCatalog catalog = new ClusterCatalog(target.client());
            OperatorClusterCatalog operatorClusters = new OperatorClusterCatalog(target.client());
            boolean operatorMade = operatorClusters.exists(target.namespace(), name);
            if (follow) {
                if (worker == null) {
                    throw new IllegalArgumentException(
                            "--follow needs --worker POD: one log can be followed at a time");
                }
                if (!operatorMade) {
                    catalog.logs(target.namespace(), name, worker); // checks the worker is its
                }
                try (LogWatch watch = catalog.followLog(target.namespace(), worker, System.out)) {
                    new CountDownLatch(1).await();
                }
                return 0;
            }
            Map<String, String> logs =
                    operatorMade
                            ? operatorLogs(operatorClusters, target.namespace())
                            : catalog.logs(target.namespace(), name, worker);
            for (Map.Entry<String, String> log : logs.entrySet()) {
                if (worker == null) {
                    System.out.println("==> " + log.getKey() + " <==");
                }
                System.out.print(log.getValue());
            }
            return 0;
        }
    }

    private Map<String, String> operatorLogs(OperatorClusterCatalog catalog, String namespace) {
        Map<String, String> logs = catalog.logs(namespace, name);
        if (worker == null) {
            return logs;
        }
        if (!logs.containsKey(worker)) {
            throw new IllegalArgumentException(
                    "DaskCluster "
                            + name
                            + " has no pod "
                            + worker
                            + "; its pods: "
                            + logs.keySet());
        }
        return Map.of(worker, logs.get(worker));
    }
}
