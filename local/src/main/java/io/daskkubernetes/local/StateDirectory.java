package io.daskkubernetes.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The runtime's directory of files; on close its contents go, and the directory too if the runtime
 * made it.
 */
record StateDirectory(Path path, boolean createdByRuntime) implements AutoCloseable {

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder())
                    .filter(file -> createdByRuntime || !file.equals(path))
                    .forEach(StateDirectory::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the state directory " + path, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    @Override
    public String toString() {
        return "state directory " + path;
    }
}
