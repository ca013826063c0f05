package io.daskkubernetes.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills container processes left by runtimes whose JVM died without closing (kill -9, a crash):
 * they carry {@code LOCAL_KUBERNETES_RUNTIME=rt-<jvm pid>-<n>}, and a runtime whose JVM is gone
 * owns nothing any more. Runs at every start, as the issue asks: the next start removes what a dead
 * one left.
 */
final class OrphanedProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedProcesses.class);
    private static final Pattern MARKER =
            Pattern.compile(ContainerBaseEnvironment.RUNTIME_VARIABLE + "=rt-(\\d+)-\\d+");

    private OrphanedProcesses() {}

    static void kill() {
        try (DirectoryStream<Path> processes =
                Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                Long owner = ownerJvm(process);
                if (owner != null && ProcessHandle.of(owner).isEmpty()) {
                    long pid = Long.parseLong(process.getFileName().toString());
                    LOG.info(
                            "killing process {}, left by a local runtime of JVM {} that is gone",
                            pid,
                            owner);
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot look for processes left by dead runtimes", e);
        }
    }

    /**
     * The pid of the JVM whose runtime started this process, or null when it is not a container
     * process.
     */
    private static Long ownerJvm(Path process) {
        try {
            String environment =
                    new String(
                            Files.readAllBytes(process.resolve("environ")), StandardCharsets.UTF_8);
            Matcher matcher = MARKER.matcher(environment);
            return matcher.find() ? Long.parseLong(matcher.group(1)) : null;
        } catch (IOException | RuntimeException e) {
            return null; // exited meanwhile, or not readable by us: not ours to kill
        }
    }
}
