package io.daskkubernetes.operator;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The operator as a child JVM ({@link OperatorChildMain}) with this test's classpath; its log lines
 * are kept so a test can wait for what it did. {@link #kill()} is SIGKILL.
 */
final class OperatorChildProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private OperatorChildProcess(Process process) {
        this.process = process;
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader out =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = out.readLine()) != null) {
                                    lines.add(line);
                                    System.out.println("[operator process] " + line);
                                }
                            } catch (IOException e) {
                                lines.add("(output lost: " + e + ")");
                            }
                        },
                        "operator-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the operator against {@code kubeconfig} and waits until it runs; a quick start on busy
     * cores (C1 only, one GC thread), for tests.
     */
    static OperatorChildProcess start(Path kubeconfig, Duration patience) {
        return start(kubeconfig, patience, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    }

    /** Starts the operator with these JVM options (the heap is limited to 256 MiB). */
    static OperatorChildProcess start(Path kubeconfig, Duration patience, List<String> jvmOptions) {
        return startMain(
                OperatorChildMain.class,
                List.of(kubeconfig.toString()),
                jvmOptions,
                "operator started",
                patience);
    }

    /**
     * Starts another main class of this test classpath the same way (a client JVM that a test
     * kills), and waits until it logs {@code readyLine}.
     */
    static OperatorChildProcess startMain(
            Class<?> mainClass,
            List<String> args,
            List<String> jvmOptions,
            String readyLine,
            Duration patience) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        OperatorChildProcess child;
        try {
            child = new OperatorChildProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            child.awaitLine(readyLine, patience);
        } catch (RuntimeException | AssertionError e) {
            child.close();
            throw e;
        }
        return child;
    }

    /** Waits until the operator has logged a line containing {@code text}. */
    void awaitLine(String text, Duration patience) {
        try {
            await().atMost(patience)
                    .pollInterval(Duration.ofMillis(20))
                    .failFast("the operator process exited", () -> !process.isAlive())
                    .until(() -> lines.stream().anyMatch(l -> l.contains(text)));
        } catch (org.awaitility.core.ConditionTimeoutException
                | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError(
                    "the operator did not log \""
                            + text
                            + "\"; its output:\n"
                            + String.join(
                                    "\n",
                                    lines.subList(Math.max(0, lines.size() - 40), lines.size())),
                    e);
        }
    }

    long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    /** SIGKILL (Process.destroyForcibly on Linux), and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the operator process outlived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    long pid() {
        return process.pid();
    }

    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
