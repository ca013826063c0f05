package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.config.ConfigException;
import io.daskkubernetes.model.SpecException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** A failed command prints one clear line (the stack trace only with -v) and exits 1. */
final class ErrorReporter implements IExecutionExceptionHandler {

    static final int FAILURE = 1;

    /** The exit code of a process stopped by Ctrl-C, as shells report it (128 + SIGINT). */
    static final int INTERRUPTED = 130;

    private static final Logger log = LoggerFactory.getLogger(ErrorReporter.class);

    private final boolean verbose;

    ErrorReporter(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(
            Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (ShutdownSequence.stoppedBySignal()) {
            // Ctrl-C closed the clients this command was using; the shutdown has said so.
            log.debug("after the stop signal, the command ended with", e);
            return INTERRUPTED;
        }
        if (verbose) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine
                .getErr()
                .println(commandLine.getColorScheme().errorText("error: " + describe(e)));
        if (!verbose && !speaksForItself(e)) {
            commandLine.getErr().println("(run with -v for details)");
        }
        return FAILURE;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        // Some libraries start their messages with "Error: "; after our "error: " it reads twice.
        return message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
    }

    /**
     * Our own errors already say what went wrong and what to do; a stack trace adds nothing. Only
     * unexpected ones suggest -v.
     */
    private static boolean speaksForItself(Exception e) {
        return e instanceof ClusterException
                || e instanceof SpecException
                || e instanceof ConfigException
                || e instanceof IllegalArgumentException;
    }
}
