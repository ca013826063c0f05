package io.daskkubernetes.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real Python Dask client (Debian's /usr/bin/python3), run as a child process by a test. */
final class PythonClient implements AutoCloseable {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Process process;
    private final BufferedReader stdout;
    private final Writer stdin;
    private final Path errors;

    private PythonClient(Process process, Path errors) {
        this.process = process;
        this.errors = errors;
        this.stdout =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static PythonClient start(Path script, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("python-client-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
        builder.environment().putAll(env);
        return new PythonClient(builder.start(), errors);
    }

    /**
     * Runs a script to its end and returns its standard output; fails with its standard error
     * otherwise.
     */
    static String run(Path script, Map<String, String> env, Duration timeout, String... args)
            throws Exception {
        try (PythonClient client = start(script, env, args)) {
            String output =
                    new String(
                            client.process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!client.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    || client.process.exitValue() != 0) {
                throw new AssertionError(
                        "python failed: " + output + "\n" + Files.readString(client.errors));
            }
            return output;
        }
    }

    String readLine() throws IOException {
        String line = stdout.readLine();
        if (line == null) {
            throw new AssertionError("python ended early: " + Files.readString(errors));
        }
        return line;
    }

    void writeLine(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    @Override
    public void close() throws IOException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(errors);
    }
}
