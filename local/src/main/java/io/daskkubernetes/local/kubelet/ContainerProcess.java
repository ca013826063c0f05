package io.daskkubernetes.local.kubelet;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a container: a process started through {@code setsid}, so that it leads its own
 * process group and the whole group (a Dask nanny and its worker, a shell and its children) can be
 * signalled at once, as a container runtime signals a container. Output and errors go to one log
 * file, like a container's stream.
 */
final class ContainerProcess {

    private static final String SETSID = "/usr/bin/setsid";

    private final Process process;
    private final Instant startedAt;
    private final CompletableFuture<Integer> exit;

    private ContainerProcess(Process process, Instant startedAt) {
        this.process = process;
        this.startedAt = startedAt;
        this.exit = process.onExit().thenApply(Process::exitValue);
    }

    /**
     * Starts {@code program args...} in {@code workingDirectory} with exactly {@code environment}.
     *
     * @param prefix words that put the process in the pod's sandbox, such as {@code ip netns exec
     *     NAME}; each must exec (not fork) the rest of the command line
     */
    static ContainerProcess start(
            List<String> prefix,
            String program,
            List<String> args,
            Map<String, String> environment,
            Path workingDirectory,
            Path logFile) {
        List<String> command = commandLine(prefix, program, args);
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(workingDirectory.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            return new ContainerProcess(process, Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * {@code setsid prefix... program args...}. setsid comes first: the child is not a process
     * group leader, so setsid makes it one without forking (pid == pgid) before anything else runs,
     * and the prefix's own steps (a mount, say) are in the group too. Each word of the prefix then
     * execs the next, keeping that pid.
     */
    static List<String> commandLine(List<String> prefix, String program, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(SETSID);
        command.addAll(prefix);
        command.add(program);
        command.addAll(args);
        return command;
    }

    long pid() {
        return process.pid();
    }

    Instant startedAt() {
        return startedAt;
    }

    /**
     * Completes with the exit code: 128 + signal number when a signal ended it (137 for SIGKILL).
     */
    CompletableFuture<Integer> exit() {
        return exit;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends {@code signal} (TERM, KILL...) to every process of the container's process group; false
     * when it could not be sent (already logged) while the group still has members.
     */
    boolean signalGroup(String signal) {
        return ProcessGroupSignal.send(process.pid(), signal) != ProcessGroupSignal.Outcome.FAILED;
    }
}
