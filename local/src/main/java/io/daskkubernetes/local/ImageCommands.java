package io.daskkubernetes.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The commands a container image would have that the host may lack. The runtime ignores images and
 * runs containers on the host, so a manifest written for a Python image (Dask's, {@code python:3})
 * says {@code python}, which those images provide as their Python 3, while Debian has only {@code
 * /usr/bin/python3} unless {@code python-is-python3} is installed. This makes one directory, put in
 * every container's PATH right after /usr/bin and /bin, with {@code python -> /usr/bin/python3},
 * exactly what {@code python-is-python3} would add; nothing when the host already has {@code
 * /usr/bin/python}. So a user's {@code python} is the system's Python 3 with Dask, not whichever
 * interpreter a developer's PATH prefers.
 */
final class ImageCommands {

    /** Alias name to the program it stands for, as Python images have it. */
    static final Map<String, String> ALIASES = Map.of("python", "python3");

    private ImageCommands() {}

    /**
     * Makes {@code directory} with the aliases whose target exists in {@code systemBin} and whose
     * name does not.
     *
     * @return the directory for PATH, or empty when no alias was needed
     */
    static Optional<Path> create(Path directory, Path systemBin) {
        try {
            boolean any = false;
            for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
                Path target = systemBin.resolve(alias.getValue());
                if (Files.exists(systemBin.resolve(alias.getKey()))
                        || !Files.isExecutable(target)) {
                    continue;
                }
                Files.createDirectories(directory);
                Path link = directory.resolve(alias.getKey());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, target);
                any = true;
            }
            return any ? Optional.of(directory) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot make the image command aliases in " + directory, e);
        }
    }
}
