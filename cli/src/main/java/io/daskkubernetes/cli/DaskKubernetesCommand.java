package io.daskkubernetes.cli;

import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command: global options, shared by every subcommand, and the list of subcommands. */
@Command(
        name = "dask-kubernetes",
        mixinStandardHelpOptions = true,
        // --help and --version on every subcommand too
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Dask clusters on Kubernetes, through the native Kubernetes API.",
        subcommands = {
            ClusterCommand.class,
            RunCommand.class,
            ListCommand.class,
            ScaleCommand.class,
            LogsCommand.class,
            DeleteCommand.class,
            GcCommand.class,
            LintCommand.class,
            LocalCommand.class,
            OperatorCommand.class,
            UiCommand.class,
            DemoCommand.class,
            HelpCommand.class,
            AutoComplete.GenerateCompletion.class
        })
final class DaskKubernetesCommand implements Runnable {

    @Option(
            names = "--kubeconfig",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(
            names = "--context",
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            description = "kubeconfig context (default: the current one).")
    String context;

    @Option(
            names = {"-n", "--namespace"},
            scope = ScopeType.INHERIT,
            paramLabel = "NS",
            description = "namespace (default: the context's, else default).")
    String namespace;

    @Option(
            names = "--local",
            scope = ScopeType.INHERIT,
            description = "Use an embedded local runtime instead of a Kubernetes cluster.")
    boolean local;

    @Option(
            names = {"-o", "--output"},
            scope = ScopeType.INHERIT,
            paramLabel = "FORMAT",
            description =
                    "Output format where the output is data: ${COMPLETION-CANDIDATES} (default: table).")
    OutputFormat output = OutputFormat.table;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Debug logs and stack traces.")
    boolean verbose;

    @Option(
            names = "--log-format",
            scope = ScopeType.INHERIT,
            paramLabel = "FORMAT",
            defaultValue = "${env:DASK_KUBERNETES_LOG_FORMAT:-text}",
            description =
                    "How logs are written to standard error: ${COMPLETION-CANDIDATES} (one JSON"
                            + " object a line, for log collectors; default: ${DEFAULT-VALUE},"
                            + " or $DASK_KUBERNETES_LOG_FORMAT).")
    Logging.Format logFormat;

    @Option(
            names = "--log-level",
            scope = ScopeType.INHERIT,
            paramLabel = "LEVEL",
            description =
                    "Least level logged: ${COMPLETION-CANDIDATES} (default: info for operator,"
                            + " debug with -v, else warn).")
    Logging.LogLevel logLevel;

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    KubernetesTarget target() {
        return KubernetesTarget.open(this);
    }
}
