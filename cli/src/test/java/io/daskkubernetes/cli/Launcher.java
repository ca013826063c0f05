package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real launcher {@code bin/dask-kubernetes} on the jar this build made ({@code
 * DASK_KUBERNETES_JAR}, so the launcher does not rebuild), from the repository root, with standard
 * output and error in files.
 */
final class Launcher {

    /**
     * Failsafe runs in the module directory, {@code cli}; the launcher and the examples are one
     * level up.
     */
    static final Path REPOSITORY =
            Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    static final Path SCRIPT = REPOSITORY.resolve("bin/dask-kubernetes");

    private Launcher() {}

    static Path jar() {
        String jar = System.getProperty("dask.kubernetes.jar");
        assertThat(jar)
                .as("system property dask.kubernetes.jar (set by failsafe in cli/pom.xml)")
                .isNotNull();
        Path path = Path.of(jar).toAbsolutePath();
        assertThat(path).as("the shaded jar, built in the package phase").isRegularFile();
        assertThat(SCRIPT).as("the launcher").isExecutable();
        return path;
    }

    /**
     * Starts {@code bin/dask-kubernetes ARGS...}; its output goes to files in {@code
     * outputDirectory}.
     */
    static LaunchedProcess start(Path outputDirectory, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        return startCommand(outputDirectory, env, command);
    }

    /**
     * Starts {@code bash -c SCRIPT} from the repository root, as a person pasting it into a shell.
     */
    static LaunchedProcess startBash(Path outputDirectory, Map<String, String> env, String script) {
        return startCommand(outputDirectory, env, List.of("/bin/bash", "-c", script));
    }

    /**
     * Runs {@code bin/dask-kubernetes ARGS...} to its end, at most {@code timeout}, and cleans up
     * after it.
     */
    static Finished run(
            Path outputDirectory, Duration timeout, Map<String, String> env, String... args) {
        try (LaunchedProcess process = start(outputDirectory, env, args)) {
            int exit = process.awaitExit(timeout);
            return new Finished(exit, process.stdout(), process.stderr());
        }
    }

    static Finished run(Path outputDirectory, Duration timeout, String... args) {
        return run(outputDirectory, timeout, Map.of(), args);
    }

    private static LaunchedProcess startCommand(
            Path outputDirectory, Map<String, String> env, List<String> command) {
        Path jar = jar();
        try {
            Path stdout = Files.createTempFile(outputDirectory, "stdout-", ".txt");
            Path stderr = Files.createTempFile(outputDirectory, "stderr-", ".txt");
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .directory(REPOSITORY.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .redirectOutput(stdout.toFile())
                            .redirectError(stderr.toFile());
            builder.environment().put("DASK_KUBERNETES_JAR", jar.toString());
            builder.environment().putAll(env);
            return new LaunchedProcess(String.join(" ", command), builder.start(), stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** A finished command: its exit code and everything it printed. */
    record Finished(int exitCode, String stdout, String stderr) {

        List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        /** For assertion messages: what the command printed. */
        String describe() {
            return "exit code "
                    + exitCode
                    + "\n--- stdout ---\n"
                    + stdout
                    + "\n--- stderr ---\n"
                    + stderr;
        }
    }
}
