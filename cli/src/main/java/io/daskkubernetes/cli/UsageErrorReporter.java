package io.daskkubernetes.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Bad arguments: one line that says what is wrong and where to look, exit code 2. */
final class UsageErrorReporter implements IParameterExceptionHandler {

    static final int USAGE = 2;

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText("error: " + e.getMessage()));
        // "Did you mean: dask-kubernetes cluster?" for a misspelt subcommand or option
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("see '" + commandLine.getCommandSpec().qualifiedName() + " --help'");
        return USAGE;
    }
}
