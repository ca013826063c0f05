package io.daskkubernetes.cli;

import java.util.Arrays;
import picocli.CommandLine;

/** The {@code dask-kubernetes} command line. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        // slf4j-simple reads its level once, when the first logger is made: set it before anything
        // logs.
        boolean verbose =
                Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", String.valueOf(verbose));
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // Vert.x's warnings that the embedded API server's event loop was slow, with stack traces,
        // say nothing a user can act on; they stay visible with -v.
        System.setProperty(
                "org.slf4j.simpleLogger.log.io.vertx.core.impl.BlockedThreadChecker",
                verbose ? "debug" : "error");
        return commandLine(verbose).execute(args);
    }

    static CommandLine commandLine(boolean verbose) {
        CommandLine commandLine = new CommandLine(new DaskKubernetesCommand());
        commandLine.setExecutionExceptionHandler(new ErrorReporter(verbose));
        commandLine.setParameterExceptionHandler(new UsageErrorReporter());
        return commandLine;
    }
}
