package io.daskkubernetes.local.kubelet;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a container's program as {@code execvp} would, in the container's PATH, to report a clear
 * error first.
 */
final class ProgramLookup {

    private ProgramLookup() {}

    static Optional<Path> find(String program, String path, Path workingDirectory) {
        if (program.contains("/")) {
            Path candidate = workingDirectory.resolve(program);
            return Files.isExecutable(candidate) && !Files.isDirectory(candidate)
                    ? Optional.of(candidate)
                    : Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
