package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A launcher started by a test, with its output in files. Closing it ends the whole process tree it
 * started: SIGTERM first (so the command can clean up as on Ctrl-C), then SIGKILL for whatever is
 * left.
 */
final class LaunchedProcess implements AutoCloseable {

    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(60);
    private static final Duration FORCED_STOP = Duration.ofSeconds(10);

    private final String command;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    /**
     * Every descendant seen: once the launcher has exited, its orphans are no longer its
     * descendants.
     */
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

    LaunchedProcess(String command, Process process, Path stdout, Path stderr) {
        this.command = command;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Waits for the end, at most {@code timeout}; fails with the output if it does not come. */
    int awaitExit(Duration timeout) {
        rememberDescendants();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        command
                                + " did not exit within "
                                + timeout.toSeconds()
                                + " s\n"
                                + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + command, e);
        }
        return process.exitValue();
    }

    /**
     * Waits for a line of standard output that matches; fails early, with the output, if the
     * command ends.
     */
    String awaitStdoutLine(String description, Predicate<String> line, Duration timeout) {
        return awaitLine(description, this::stdout, line, timeout);
    }

    /** The kubeconfig that {@code dask-kubernetes local} prints once its runtime is up. */
    String awaitKubeconfig(Duration timeout) {
        return awaitStdoutLine(
                        "its kubeconfig: line", line -> line.startsWith("kubeconfig: "), timeout)
                .substring("kubeconfig: ".length())
                .strip();
    }

    /** A fabric8 client of the cluster of {@code kubeconfig}. */
    static io.fabric8.kubernetes.client.KubernetesClient clientOf(String kubeconfig) {
        try {
            return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(
                            io.fabric8.kubernetes.client.Config.fromKubeconfig(
                                    java.nio.file.Files.readString(
                                            java.nio.file.Path.of(kubeconfig))))
                    .build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** As {@link #awaitStdoutLine} on standard error. */
    String awaitStderrLine(String description, Predicate<String> line, Duration timeout) {
        return awaitLine(description, this::stderr, line, timeout);
    }

    private String awaitLine(
            String description, Supplier<String> output, Predicate<String> line, Duration timeout) {
        AtomicReference<String> found = new AtomicReference<>();
        try {
            await(description)
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .failFast(
                            command + " exited before printing " + description,
                            () -> !process.isAlive() && output.get().lines().noneMatch(line))
                    .until(
                            () -> {
                                output.get().lines().filter(line).findFirst().ifPresent(found::set);
                                return found.get() != null;
                            });
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "\n" + describe(), e);
        }
        return found.get();
    }

    /** Sends SIGTERM, as {@code kill PID} or a service manager would. */
    void terminate() {
        rememberDescendants();
        process.destroy();
    }

    /** Sends SIGINT, as Ctrl-C in a terminal would. */
    void interrupt() {
        rememberDescendants();
        try {
            Process kill =
                    new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                            .redirectErrorStream(true)
                            .start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                    .as("kill -INT " + process.pid())
                    .isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending SIGINT", e);
        }
    }

    private void rememberDescendants() {
        process.descendants().forEach(seen::add);
    }

    /** For assertion messages: the command and what it printed so far. */
    String describe() {
        return "--- "
                + command
                + " ---\n--- stdout ---\n"
                + stdout()
                + "\n--- stderr ---\n"
                + stderr();
    }

    @Override
    public void close() {
        rememberDescendants();
        List<ProcessHandle> tree = new ArrayList<>(seen);
        tree.add(process.toHandle());
        if (process.isAlive()) {
            // The launcher (or bash) and its direct children: the command cleans up on SIGTERM.
            process.destroy();
            process.children().forEach(ProcessHandle::destroy);
            waitFor(process.toHandle(), GRACEFUL_STOP);
        }
        process.descendants().forEach(tree::add);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        tree.forEach(handle -> waitFor(handle, FORCED_STOP));
    }

    private static void waitFor(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Still alive: the next step kills it; the caller's assertions report what was left.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            // Not readString: a half-written multi-byte character must not fail the read.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
