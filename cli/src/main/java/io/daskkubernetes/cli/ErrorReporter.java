package io.daskkubernetes.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** A failed command prints one clear line (the stack trace only with -v) and exits 1. */
final class ErrorReporter implements IExecutionExceptionHandler {

    static final int FAILURE = 1;

    private final boolean verbose;

    ErrorReporter(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(
            Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (verbose) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine
                .getErr()
                .println(commandLine.getColorScheme().errorText("error: " + describe(e)));
        if (!verbose) {
            commandLine.getErr().println("(run with -v for details)");
        }
        return FAILURE;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message;
    }
}
