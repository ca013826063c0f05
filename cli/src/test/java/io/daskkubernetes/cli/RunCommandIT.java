package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.cli.Launcher.Finished;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --local ... -- COMMAND}: an ephemeral cluster on the local runtime for one command.
 */
class RunCommandIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir Path output;

    @Test
    void theSeedsExampleOnTwoWorkersPrintsOneAndExitsZero() {
        Finished run =
                Launcher.run(
                        output,
                        TIMEOUT,
                        Map.of("DASK_EXAMPLE_SIZE", "200"),
                        "run",
                        "--local",
                        "--spec",
                        "examples/worker-spec.yml",
                        "--workers",
                        "2",
                        "--",
                        "/usr/bin/python3",
                        "examples/array_mean.py");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).contains("1.0");
        assertThat(run.stderr())
                .as("progress shows both workers registered")
                .contains("workers registered: 2/2");
    }

    /**
     * Also with the kubernetes.yaml that importing Python's dask_kubernetes writes: every line
     * commented out, which Dask loads as nothing.
     */
    @Test
    void theCommandsExitCodePassesThrough() throws IOException {
        Path daskConfig = Files.createDirectories(output.resolve("dask-config"));
        Files.writeString(
                daskConfig.resolve("kubernetes.yaml"),
                "# kubernetes:\n#   name: \"dask-{user}-{uuid}\"\n#   count:\n#     start: 0\n");
        Finished run =
                Launcher.run(
                        output,
                        TIMEOUT,
                        Map.of("DASK_CONFIG", daskConfig.toString()),
                        "run",
                        "--local",
                        "--spec",
                        "examples/worker-spec.yml",
                        "--workers",
                        "1",
                        "--",
                        "sh",
                        "-c",
                        "exit 7");

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(7);
    }

    /** A misspelt worker command fails fast, with the exit code and the reason, not a timeout. */
    @Test
    void aWorkerThatCannotStartFailsTheCommandWithItsReason() throws IOException {
        Path spec =
                Files.writeString(
                        output.resolve("misspelt.yml"),
                        Files.readString(Launcher.REPOSITORY.resolve("examples/worker-spec.yml"))
                                .replace("args: [dask-worker,", "args: [dask-wroker,"));

        Finished run =
                Launcher.run(
                        output,
                        TIMEOUT,
                        "run",
                        "--local",
                        "--spec",
                        spec.toString(),
                        "--workers",
                        "2",
                        "--",
                        "true");

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr())
                .as(run.describe())
                .contains("failed before its Dask worker registered")
                .contains("exited with code 128")
                .contains("\"dask-wroker\": executable file not found")
                .doesNotContain("raise --timeout");
    }

    /**
     * The seed's first best practice on the client side: a local Python whose distributed differs
     * from the cluster's is named in the version warning, before the command runs.
     */
    @Test
    void aLocalPythonWithAnotherDistributedIsNamedBeforeTheCommandRuns() throws IOException {
        Path fakePython = Files.createDirectories(output.resolve("fake-python"));
        Files.writeString(
                fakePython.resolve("sitecustomize.py"),
                "import distributed\ndistributed.__version__ = '2099.1.0'\n");
        Path interpreter =
                Files.writeString(
                        fakePython.resolve("python3"),
                        "#!/bin/sh\nPYTHONPATH='"
                                + fakePython
                                + "' exec /usr/bin/python3 \"$@\"\n");
        Files.setPosixFilePermissions(
                interpreter, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        Finished run =
                Launcher.run(
                        output,
                        TIMEOUT,
                        "run",
                        "--local",
                        "--spec",
                        "examples/worker-spec.yml",
                        "--workers",
                        "1",
                        "--",
                        interpreter.toString(),
                        "-c",
                        "import distributed; print('client', distributed.__version__)");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).containsExactly("client 2099.1.0");
        assertThat(run.stderr())
                .as(run.describe())
                .contains("the scheduler, workers and client run different versions of");
        assertThat(run.stderrLines().stream().map(String::strip))
                .as("one line, for distributed only, naming the client's version")
                .filteredOn(line -> line.matches("^[a-z0-9]+: scheduler .*"))
                .singleElement()
                .asString()
                .startsWith("distributed: scheduler ")
                .contains("client (" + interpreter + ") 2099.1.0");
        assertThat(run.stderr().indexOf("different versions"))
                .as("warned before the command ran")
                .isLessThan(run.stderr().indexOf("==> Running"));
    }
}
