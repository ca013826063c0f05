package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.local.network.SlotLeftovers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds what a runtime may have left behind: processes carrying its id, network namespaces and
 * links named after it.
 */
final class RuntimeLeftovers {

    private RuntimeLeftovers() {}

    /**
     * Closes a runtime and asserts that nothing of it is left: no process carrying its runtime id,
     * no network namespace, link or /etc/netns entry with its prefix, no state directory.
     */
    static void closeAndAssertNothingLeft(LocalKubernetes kubernetes) {
        String runtimeId = kubernetes.runtimeId();
        String prefix = kubernetes.networkPrefix();
        Path stateDirectory = kubernetes.stateDirectory();
        kubernetes.close();
        assertNothingLeft(runtimeId, prefix, stateDirectory);
    }

    /**
     * Asserts that nothing of a runtime is left: no process carrying its id, no network namespace,
     * link or /etc/netns entry with its prefix (null on the host network), no state directory.
     */
    static void assertNothingLeft(String runtimeId, String prefix, Path stateDirectory) {
        // On a shared machine another runtime may have taken the slot since: its names are its own.
        boolean slotTakenSince = prefix != null && SlotLeftovers.isTaken(slotNumber(prefix));
        assertNothingLeftEvenIfSlotTaken(runtimeId, slotTakenSince ? null : prefix, stateDirectory);
    }

    /**
     * As {@link #assertNothingLeft(String, String, Path)}, checking the names of the prefix even if
     * a runtime holds the slot: for a dead runtime's slot, which its watchdog holds while it
     * cleans.
     */
    static void assertNothingLeftEvenIfSlotTaken(
            String runtimeId, String prefix, Path stateDirectory) {
        assertThat(processes(runtimeId)).as("processes of " + runtimeId).isEmpty();
        assertThat(stateDirectory).doesNotExist();
        if (prefix != null) {
            assertThat(networkNamespaces(prefix)).isEmpty();
            assertThat(links(prefix)).isEmpty();
            assertThat(Path.of("/etc/netns"))
                    .satisfiesAnyOf(
                            netns -> assertThat(netns).doesNotExist(),
                            netns ->
                                    assertThat(netns)
                                            .isDirectoryNotContaining(
                                                    entry ->
                                                            entry.getFileName()
                                                                    .toString()
                                                                    .startsWith(prefix)));
        }
    }

    /** The slot number in a prefix such as {@code dkl3-}. */
    static int slotNumber(String prefix) {
        return Integer.parseInt(prefix.substring(3, prefix.length() - 1));
    }

    /** PIDs of live processes whose environment has LOCAL_KUBERNETES_RUNTIME=runtimeId. */
    static List<Long> processes(String runtimeId) {
        return processesWith("LOCAL_KUBERNETES_RUNTIME", runtimeId);
    }

    /** PIDs of live processes whose environment has {@code variable=value}. */
    static List<Long> processesWith(String variable, String value) {
        byte[] marker = (variable + "=" + value + "\0").getBytes(StandardCharsets.UTF_8);
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> processes =
                Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                        continue;
                    }
                    byte[] environment = Files.readAllBytes(process.resolve("environ"));
                    if (contains(environment, marker)) {
                        found.add(Long.parseLong(process.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // Gone meanwhile, or not ours to read.
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Network namespaces whose name starts with {@code prefix}. */
    static List<String> networkNamespaces(String prefix) {
        return lines(List.of("ip", "netns", "list")).stream()
                .map(line -> line.split(" ")[0])
                .filter(name -> name.startsWith(prefix))
                .toList();
    }

    /** Links (veths, bridges) whose name starts with {@code prefix}. */
    static List<String> links(String prefix) {
        return lines(List.of("ip", "-o", "link", "show")).stream()
                .map(line -> line.split(":")[1].trim().split("@")[0])
                .filter(name -> name.startsWith(prefix))
                .toList();
    }

    private static List<String> lines(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
