package io.daskkubernetes.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads /proc to tell which processes mention a string in their command line; tests use it to prove
 * nothing is left.
 */
final class ProcessTable {

    private ProcessTable() {}

    static List<String> commandLinesContaining(String text) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry :
                    entries.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .chars()
                                                    .allMatch(Character::isDigit))
                            .toList()) {
                try {
                    String commandLine =
                            new String(
                                            Files.readAllBytes(entry.resolve("cmdline")),
                                            StandardCharsets.UTF_8)
                                    .replace('\0', ' ')
                                    .strip();
                    if (commandLine.contains(text)) {
                        found.add(entry.getFileName() + ": " + commandLine);
                    }
                } catch (IOException processEnded) {
                    // The process ended while we looked: it is not left over.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }
}
