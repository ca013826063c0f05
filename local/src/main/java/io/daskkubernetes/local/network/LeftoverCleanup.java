package io.daskkubernetes.local.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes network namespaces, links and /etc/netns files by name prefix: at close, and at start for
 * whatever a runtime that died without closing left under the same prefix.
 */
final class LeftoverCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverCleanup.class);
    private static final Path NETNS_FILES = Path.of("/etc/netns");

    private LeftoverCleanup() {}

    static void removeEverythingNamed(String prefix) {
        for (String namespace : namespaces(prefix)) {
            LOG.info("removing network namespace {}", namespace);
            removeNamespace(namespace);
        }
        for (String link : links(prefix)) {
            IpCommand.tryRun("link", "del", link);
        }
        try (Stream<Path> directories =
                Files.exists(NETNS_FILES) ? Files.list(NETNS_FILES) : Stream.empty()) {
            directories
                    .filter(d -> d.getFileName().toString().startsWith(prefix))
                    .forEach(d -> removeNetnsFiles(d.getFileName().toString()));
        } catch (IOException e) {
            LOG.warn("cannot list {}", NETNS_FILES, e);
        }
    }

    /** Kills every process in the namespace, waits for them to go, and deletes the namespace. */
    static void removeNamespace(String namespace) {
        for (int attempt = 0; attempt < 100; attempt++) {
            String pids = IpCommand.tryRun("netns", "pids", namespace);
            if (pids == null || pids.isBlank()) {
                break;
            }
            for (String pid : pids.trim().split("\\s+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
            try {
                // SIGKILL is asynchronous; give the kernel a moment before asking again.
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        IpCommand.tryRun("netns", "del", namespace);
    }

    static void removeNetnsFiles(String namespace) {
        Path directory = NETNS_FILES.resolve(namespace);
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(
                            file -> {
                                try {
                                    Files.deleteIfExists(file);
                                } catch (IOException e) {
                                    LOG.warn("cannot remove {}", file, e);
                                }
                            });
        } catch (IOException e) {
            LOG.warn("cannot remove {}", directory, e);
        }
    }

    static List<String> namespaces(String prefix) {
        String output = IpCommand.tryRun("netns", "list");
        if (output == null) {
            return List.of();
        }
        return output.lines()
                .map(line -> line.split(" ")[0])
                .filter(name -> name.startsWith(prefix))
                .toList();
    }

    static List<String> links(String prefix) {
        String output = IpCommand.tryRun("-o", "link", "show");
        if (output == null) {
            return List.of();
        }
        return output.lines()
                .map(line -> line.split(":")[1].trim().split("@")[0])
                .filter(name -> name.startsWith(prefix))
                .toList();
    }
}
