package io.daskkubernetes.local;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small process beside the runtime's JVM that removes what the runtime made if the JVM dies
 * without closing it (kill -9, a crash, the OOM killer): it reads a pipe from the JVM, which the
 * kernel closes when the JVM dies by any means, and then runs {@link RuntimeReaper}. The JVM tells
 * it what to remove as it creates it; a normal close says "closed" first, and the watchdog just
 * exits. It runs in its own session, so that a terminal's Ctrl-C or hang-up, which the JVM handles
 * by closing, cannot take it away first.
 */
final class RuntimeWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeWatchdog.class);

    private final Process process;
    private final OutputStream pipe;

    private volatile boolean closing;

    private RuntimeWatchdog(Process process) {
        this.process = process;
        this.pipe = process.getOutputStream();
        process.onExit()
                .thenRun(
                        () -> {
                            if (!closing) {
                                LOG.error(
                                        "the runtime's watchdog (pid {}) exited with {}: if this"
                                                + " JVM dies now, its pods and network stay until"
                                                + " another runtime starts",
                                        process.pid(),
                                        process.exitValue());
                            }
                        });
    }

    /** Starts a watchdog for the runtime {@code id}, whose processes carry that id. */
    static RuntimeWatchdog start(RuntimeIdentity identity) {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/setsid");
        command.add(javaCommand());
        // A small, quick JVM: it waits on a pipe, and then runs for a few seconds at most.
        command.addAll(
                List.of(
                        "-Xmx32m",
                        "-Xss512k",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:CICompilerCount=1",
                        "-cp",
                        classPath(),
                        RuntimeReaper.class.getName()));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        // Its account of a cleanup goes where the runtime's own errors would.
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            RuntimeWatchdog watchdog = new RuntimeWatchdog(builder.start());
            watchdog.tell(RuntimeReaper.RUNTIME + " " + identity.id() + " " + identity.lockFile());
            return watchdog;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the runtime's watchdog " + command, e);
        }
    }

    /**
     * The JVM's class path, plus where the reaper's own classes and SLF4J come from: a JVM started
     * by a launcher (Maven's exec:java, an application server) has them elsewhere.
     */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        entries.add(codeSourceOf(RuntimeReaper.class));
        entries.add(codeSourceOf(LoggerFactory.class));
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        entries.remove(null);
        return String.join(File.pathSeparator, entries);
    }

    private static String codeSourceOf(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            LOG.debug("no code source for {}", type, e);
            return null;
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The network slot whose namespaces, links and /etc/netns entries the runtime makes. */
    void watchNetworkSlot(int number) {
        tell(RuntimeReaper.SLOT + " " + number);
    }

    /** The state directory: its contents go, and the directory itself if the runtime made it. */
    void watchStateDirectory(Path directory, boolean createdByRuntime) {
        tell(RuntimeReaper.DIRECTORY + " " + createdByRuntime + " " + directory);
    }

    long pid() {
        return process.pid();
    }

    private synchronized void tell(String line) {
        if (line.contains("\n")) {
            throw new IllegalArgumentException("a watchdog line must be one line: " + line);
        }
        try {
            pipe.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            pipe.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the runtime's watchdog (pid " + process.pid() + ") is gone", e);
        }
    }

    /** The runtime has closed cleanly: the watchdog has nothing to do and exits. */
    @Override
    public void close() {
        closing = true;
        try {
            tell(RuntimeReaper.CLOSED);
            pipe.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("the runtime's watchdog (pid {}) did not exit; killing it", pid());
                process.destroyForcibly();
            }
        } catch (UncheckedIOException | IOException e) {
            LOG.warn("the runtime's watchdog (pid {}) was already gone", pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "runtime watchdog (pid " + process.pid() + ")";
    }
}
