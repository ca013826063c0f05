package io.daskkubernetes.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds container processes by the runtime id they carry ({@code LOCAL_KUBERNETES_RUNTIME}) and
 * kills those of runtimes proven dead by their {@link RuntimeIdentity} lock. Runs at every start, a
 * second line behind each runtime's own watchdog (which may have died with it, say when a whole
 * container was killed). Processes of a live runtime, or of one that cannot be told from here, are
 * never touched, whatever PID namespace they or their runtime are in.
 */
final class OrphanedProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedProcesses.class);
    private static final byte[] MARKER =
            (ContainerBaseEnvironment.RUNTIME_VARIABLE + "=").getBytes(StandardCharsets.UTF_8);

    private OrphanedProcesses() {}

    /**
     * Kills every process of every dead runtime and forgets those runtimes, and the dead runtimes
     * that left no process (whose watchdog died with them).
     */
    static void kill() {
        Map<String, List<Long>> byRuntime = byRuntime();
        for (String id : RuntimeIdentity.knownIds()) {
            if (!byRuntime.containsKey(id)
                    && RuntimeIdentity.of(id) == RuntimeIdentity.Liveness.DEAD) {
                RuntimeIdentity.forget(id);
            }
        }
        for (Map.Entry<String, List<Long>> runtime : byRuntime.entrySet()) {
            String id = runtime.getKey();
            if (RuntimeIdentity.of(id) == RuntimeIdentity.Liveness.DEAD) {
                LOG.info(
                        "killing processes {}, left by local runtime {} whose JVM is gone",
                        runtime.getValue(),
                        id);
                runtime.getValue().forEach(OrphanedProcesses::killProcess);
                RuntimeIdentity.forget(id);
            }
        }
    }

    /** Kills every process carrying {@code runtimeId}; true when none is left. */
    static boolean killAllOf(String runtimeId, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            List<Long> left = byRuntime().getOrDefault(runtimeId, List.of());
            if (left.isEmpty()) {
                return true;
            }
            if (System.currentTimeMillis() > deadline) {
                LOG.error("processes {} of runtime {} survived SIGKILL", left, runtimeId);
                return false;
            }
            left.forEach(OrphanedProcesses::killProcess);
            // SIGKILL is asynchronous; give the kernel a moment before looking again.
            Thread.sleep(50);
        }
    }

    private static void killProcess(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Live (not zombie) container processes, by the runtime id they carry. */
    static Map<String, List<Long>> byRuntime() {
        Map<String, List<Long>> found = new LinkedHashMap<>();
        try (DirectoryStream<Path> processes =
                Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String id = runtimeOf(process);
                if (id != null) {
                    found.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot look for container processes in /proc", e);
        }
        return found;
    }

    /** The runtime id a live process carries, or null (none, a zombie, gone, not readable). */
    private static String runtimeOf(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                return null;
            }
            byte[] environment = Files.readAllBytes(process.resolve("environ"));
            int start = indexOfVariable(environment);
            if (start < 0) {
                return null;
            }
            int end = start;
            while (end < environment.length && environment[end] != 0) {
                end++;
            }
            return new String(environment, start, end - start, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null; // exited meanwhile, or not readable by us: not ours to kill
        }
    }

    /** Where the value of the marker variable starts, or -1. */
    private static int indexOfVariable(byte[] environment) {
        outer:
        for (int i = 0; i + MARKER.length <= environment.length; i++) {
            if (i > 0 && environment[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < MARKER.length; j++) {
                if (environment[i + j] != MARKER[j]) {
                    continue outer;
                }
            }
            return i + MARKER.length;
        }
        return -1;
    }
}
