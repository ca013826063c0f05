package io.daskkubernetes.cli;

import io.daskkubernetes.config.DaskConfig;
import io.daskkubernetes.operator.LeaderElection;
import io.daskkubernetes.operator.OperatorProcess;
import io.daskkubernetes.operator.OperatorSettings;
import io.daskkubernetes.operator.WorkerAllocation;
import io.daskkubernetes.ui.WebConsole;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code operator}: the Dask operator in the foreground, reconciling DaskClusters and
 * DaskWorkerGroups in all namespaces, or in those given with {@code --watch-namespaces} (or the one
 * of {@code --namespace}); optionally one candidate of a leader election, with probes and metrics
 * on an HTTP port. SIGTERM stops it gracefully: reconcilers first, then the Lease is handed on.
 */
@Command(
        name = "operator",
        description =
                "Run the Dask operator (DaskCluster, DaskWorkerGroup) against the kubeconfig's"
                        + " cluster (or in-cluster) until Ctrl-C or SIGTERM.")
final class OperatorCommand implements Callable<Integer> {

    @ParentCommand DaskKubernetesCommand root;

    @Spec CommandSpec spec;

    @Option(
            names = "--install-crds",
            description =
                    "Install or update the kubernetes.dask.org CRDs first (otherwise they must be"
                            + " installed: kubectl apply -f deploy/crds/).")
    boolean installCrds;

    @Option(
            names = "--watch-namespaces",
            split = ",",
            paramLabel = "NAMESPACE",
            description =
                    "Watch only these namespaces (comma-separated or repeated); default: the one"
                            + " of --namespace if given, else all.")
    List<String> watchNamespaces = List.of();

    @Option(
            names = "--leader-election",
            description =
                    "Act only while holding a coordination.k8s.io Lease, so that several replicas"
                            + " never act at once.")
    boolean leaderElection;

    @Option(
            names = "--leader-election-namespace",
            description = "Namespace of the Lease (default: $POD_NAMESPACE, else --namespace).")
    String leaseNamespace;

    @Option(
            names = "--lease-name",
            defaultValue = LeaderElection.DEFAULT_LEASE_NAME,
            description = "Name of the Lease (default: ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(
            names = "--leader-election-identity",
            description = "This candidate's name in the Lease (default: $POD_NAME, else host-pid).")
    String identity;

    @Option(
            names = "--lease-duration",
            defaultValue = "15",
            paramLabel = "SECONDS",
            description = "How long a Lease holds without renewal (default: ${DEFAULT-VALUE}).")
    int leaseDuration;

    @Option(
            names = "--renew-deadline",
            defaultValue = "10",
            paramLabel = "SECONDS",
            description =
                    "The leader gives up if it cannot renew within this (default: ${DEFAULT-VALUE}).")
    int renewDeadline;

    @Option(
            names = "--retry-period",
            defaultValue = "2",
            paramLabel = "SECONDS",
            description = "How often candidates try the Lease (default: ${DEFAULT-VALUE}).")
    int retryPeriod;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            description = "Serve /healthz, /readyz and /metrics (Prometheus) on this port.")
    Integer httpPort;

    @Option(
            names = "--ui",
            description =
                    "Also serve the web console of the Dask clusters this operator can read and"
                            + " print its URL (--ui-address, --ui-port, --allow-scaling).")
    boolean ui;

    @Mixin ConsoleFlags console;

    @Override
    public Integer call() throws Exception {
        Set<String> namespaces = namespaces();
        // upstream's kubernetes.controller.worker-allocation.* keys, from Dask's files or the
        // DASK_KUBERNETES__CONTROLLER__WORKER_ALLOCATION__* variables the chart sets
        OperatorSettings settings =
                OperatorSettings.watching(namespaces)
                        .allocatingWorkers(WorkerAllocation.fromConfig(DaskConfig.load()));
        if (leaderElection) {
            settings = settings.electingLeader(election(), OperatorCommand::exitToBeRestarted);
        }
        try (ShutdownSequence shutdown = new ShutdownSequence()) {
            KubernetesTarget target = shutdown.add(KubernetesTarget.open(root));
            OperatorProcess operator =
                    shutdown.add(
                            OperatorProcess.start(
                                    target.client(),
                                    settings.installingCrds(installCrds || target.isLocal()),
                                    httpPort == null
                                            ? OptionalInt.empty()
                                            : OptionalInt.of(httpPort)));
            if (ui) {
                WebConsole web =
                        shutdown.add(
                                WebConsole.start(
                                        target.client(),
                                        console.options(
                                                namespaces.size() == 1
                                                        ? namespaces.iterator().next()
                                                        : null)));
                System.out.println("web console: " + web.url());
                System.out.flush();
            }
            Progress.onStandardError()
                    .step(
                            "Dask operator running in "
                                    + (namespaces.isEmpty() ? "all namespaces" : namespaces)
                                    + (leaderElection ? " (acts while it leads)" : "")
                                    + (operator.httpPort() > 0
                                            ? "; /healthz, /readyz, /metrics on port "
                                                    + operator.httpPort()
                                            : "")
                                    + "; press Ctrl-C to stop it");
            shutdown.awaitSignal();
            return 0;
        }
    }

    private Set<String> namespaces() {
        Set<String> namespaces = new LinkedHashSet<>();
        for (String namespace : watchNamespaces) {
            if (!namespace.isBlank()) {
                namespaces.add(namespace.trim());
            }
        }
        if (namespaces.isEmpty() && root.namespace != null && !root.local) {
            namespaces.add(root.namespace);
        }
        return namespaces;
    }

    private LeaderElection election() {
        String namespace = firstOf(leaseNamespace, System.getenv("POD_NAMESPACE"), root.namespace);
        if (namespace == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--leader-election needs the Lease's namespace: give"
                            + " --leader-election-namespace (in a pod, set POD_NAMESPACE from"
                            + " metadata.namespace)");
        }
        String who = firstOf(identity, System.getenv("POD_NAME"), defaultIdentity());
        try {
            return new LeaderElection(
                    leaseName,
                    namespace,
                    who,
                    Duration.ofSeconds(leaseDuration),
                    Duration.ofSeconds(renewDeadline),
                    Duration.ofSeconds(retryPeriod));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String defaultIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /**
     * A replica that lost its Lease may hold stale caches: it exits (from another thread, since the
     * shutdown hooks run on exit) and its Deployment restarts it as a candidate.
     */
    private static void exitToBeRestarted() {
        new Thread(() -> System.exit(1), "lost-leadership-exit").start();
    }
}
