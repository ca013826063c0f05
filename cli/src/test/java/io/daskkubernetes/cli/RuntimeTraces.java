package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a local runtime puts on this machine, seen from outside as a user would see it: its pod
 * processes (marked by the environment variable {@code LOCAL_KUBERNETES_RUNTIME}), its state
 * directory (where each pod's TMPDIR lives) and, as root, its network namespaces ({@code dklN-K},
 * one per pod). Observed while the pods run, then checked to be gone.
 */
final class RuntimeTraces {

    private static final String RUNTIME_VARIABLE = "LOCAL_KUBERNETES_RUNTIME";
    private static final String IP = "/usr/sbin/ip";

    private final String runtimeId;
    private final Path stateDirectory;
    private final Set<String> namespaces;
    private final List<String> podCommands;

    private RuntimeTraces(
            String runtimeId,
            Path stateDirectory,
            Set<String> namespaces,
            List<String> podCommands) {
        this.runtimeId = runtimeId;
        this.stateDirectory = stateDirectory;
        this.namespaces = namespaces;
        this.podCommands = podCommands;
    }

    /**
     * Reads the traces from the pod processes that {@code runtimeJvm} (the JVM running the runtime)
     * started.
     */
    static RuntimeTraces observe(ProcessHandle runtimeJvm) {
        Set<String> runtimeIds = new TreeSet<>();
        Set<Path> stateDirectories = new TreeSet<>();
        Set<String> namespaces = new TreeSet<>();
        List<String> podCommands = new ArrayList<>();
        for (ProcessHandle process : runtimeJvm.descendants().toList()) {
            List<String> environment = environment(process.pid());
            String runtime = value(environment, RUNTIME_VARIABLE);
            if (runtime == null) {
                continue; // not a container process: a nanny's child, ip, a shell
            }
            runtimeIds.add(runtime);
            podCommands.add(commandLine(process.pid()));
            String tmp = value(environment, "TMPDIR");
            if (tmp != null) {
                stateDirectories.add(stateDirectoryOf(Path.of(tmp)));
            }
            String namespace =
                    run(false, IP, "netns", "identify", String.valueOf(process.pid())).strip();
            if (!namespace.isEmpty()) {
                namespaces.add(namespace);
            }
        }
        assertThat(runtimeIds)
                .as("runtime of the pod processes under %s: %s", runtimeJvm.pid(), podCommands)
                .hasSize(1);
        assertThat(stateDirectories)
                .as("state directory of the pods (from their TMPDIR)")
                .hasSize(1);
        Path state = stateDirectories.iterator().next();
        assertThat(state).as("the runtime's state directory while it runs").isDirectory();
        if (isRoot()) {
            assertThat(namespaces)
                    .as("as root every pod runs in its own network namespace")
                    .isNotEmpty()
                    .allMatch(name -> name.matches("dkl\\d+-\\d+"));
        }
        return new RuntimeTraces(runtimeIds.iterator().next(), state, namespaces, podCommands);
    }

    List<String> podCommands() {
        return podCommands;
    }

    /** Asserts that nothing of the runtime, nor any process naming {@code clusterName}, is left. */
    void assertNothingLeft(String clusterName) {
        assertThat(processesWith(clusterName))
                .as("processes whose command line contains the cluster name %s", clusterName)
                .isEmpty();
        assertThat(processesOfRuntime())
                .as("processes with %s=%s in their environment", RUNTIME_VARIABLE, runtimeId)
                .isEmpty();
        assertThat(stateDirectory).as("the runtime's state directory").doesNotExist();
        // A namespace is dklN-K for the runtime that holds slot N; the pods' namespaces and veths
        // go with it.
        // (Once this runtime has exited another one may take slot N and its bridge, but it makes
        // pod
        // namespaces only when it runs pods, long after this check.)
        for (String prefix :
                namespaces.stream()
                        .map(n -> n.substring(0, n.indexOf('-') + 1))
                        .distinct()
                        .toList()) {
            assertThat(run(true, IP, "netns", "list").lines().map(line -> line.split(" ")[0]))
                    .as("network namespaces of the runtime (prefix %s) after it closed", prefix)
                    .noneMatch(name -> name.startsWith(prefix));
            assertThat(
                            run(true, IP, "-o", "link", "show")
                                    .lines()
                                    .map(line -> line.split(":")[1].trim().split("@")[0]))
                    .as("pod veth links of the runtime (prefix %sv) after it closed", prefix)
                    .noneMatch(name -> name.startsWith(prefix + "v"));
        }
        for (String namespace : namespaces) {
            assertThat(Path.of("/etc/netns", namespace))
                    .as("hosts files of the pod namespace %s", namespace)
                    .doesNotExist();
        }
    }

    private List<String> processesWith(String text) {
        return allProcesses()
                .filter(pid -> pid != ProcessHandle.current().pid())
                .map(RuntimeTraces::commandLine)
                .filter(command -> command.contains(text))
                .toList();
    }

    private List<String> processesOfRuntime() {
        return allProcesses()
                .filter(pid -> runtimeId.equals(value(environment(pid), RUNTIME_VARIABLE)))
                .map(pid -> pid + ": " + commandLine(pid))
                .toList();
    }

    private static Stream<Long> allProcesses() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries
                    .map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("\\d+"))
                    .map(Long::parseLong)
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <state>/pods/<pod>/containers/<container>/tmp} → {@code <state>}. */
    private static Path stateDirectoryOf(Path tmp) {
        for (Path p = tmp; p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals("pods")) {
                return p.getParent();
            }
        }
        throw new AssertionError("TMPDIR " + tmp + " is not under a runtime's pods directory");
    }

    private static List<String> environment(long pid) {
        return procStrings(pid, "environ");
    }

    private static String commandLine(long pid) {
        return String.join(" ", procStrings(pid, "cmdline"));
    }

    /** A NUL-separated /proc file; empty for a process that is gone (or a kernel thread). */
    private static List<String> procStrings(long pid, String file) {
        try {
            String text =
                    new String(
                            Files.readAllBytes(Path.of("/proc", String.valueOf(pid), file)),
                            StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : List.of(text.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String value(List<String> environment, String name) {
        return environment.stream()
                .filter(entry -> entry.startsWith(name + "="))
                .map(entry -> entry.substring(name.length() + 1))
                .findFirst()
                .orElse(null);
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a short command (ip) and returns its standard output; fails if it hangs, or if it fails
     * and {@code mustSucceed} ({@code ip netns identify} fails for a process that has just ended).
     */
    private static String run(boolean mustSucceed, String... command) {
        Process process = null;
        try {
            Path output = Files.createTempFile("runtime-traces-", ".txt");
            try {
                process =
                        new ProcessBuilder(command)
                                .redirectError(ProcessBuilder.Redirect.DISCARD)
                                .redirectOutput(output.toFile())
                                .start();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    throw new AssertionError(String.join(" ", command) + " did not finish in 20 s");
                }
                if (process.exitValue() != 0) {
                    if (mustSucceed) {
                        throw new AssertionError(
                                String.join(" ", command)
                                        + " failed with exit code "
                                        + process.exitValue());
                    }
                    return "";
                }
                return Files.readString(output);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
