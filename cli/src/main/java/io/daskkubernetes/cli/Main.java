package io.daskkubernetes.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The {@code dask-kubernetes} command line. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        // Logs while the command line is parsed go out as the defaults say; once it is parsed, the
        // command's --log-format and --log-level take over.
        boolean verbose =
                Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        Logging.configure(
                Logging.Format.text, verbose ? Logging.LogLevel.debug : Logging.LogLevel.warn);
        CommandLine commandLine = commandLine(verbose);
        commandLine.setExecutionStrategy(
                parsed -> {
                    configureLogging(parsed);
                    return new CommandLine.RunLast().execute(parsed);
                });
        return commandLine.execute(args);
    }

    /**
     * The level asked for; else debug with -v; else info for the operator, a service whose log is
     * what it did, and warn for every other command, whose progress is shown apart from the log.
     */
    private static void configureLogging(ParseResult parsed) {
        DaskKubernetesCommand root = (DaskKubernetesCommand) parsed.commandSpec().userObject();
        List<CommandLine> commands = parsed.asCommandLineList();
        Object command = commands.get(commands.size() - 1).getCommand();
        Logging.LogLevel level = root.logLevel;
        if (level == null) {
            if (root.verbose) {
                level = Logging.LogLevel.debug;
            } else if (command instanceof OperatorCommand) {
                level = Logging.LogLevel.info;
            } else {
                level = Logging.LogLevel.warn;
            }
        }
        Logging.configure(root.logFormat, level);
    }

    static CommandLine commandLine(boolean verbose) {
        CommandLine commandLine = new CommandLine(new DaskKubernetesCommand());
        commandLine.setExecutionExceptionHandler(new ErrorReporter(verbose));
        commandLine.setParameterExceptionHandler(new UsageErrorReporter());
        return commandLine;
    }
}
