package io.daskkubernetes.local.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The files of one pod under the runtime's state directory: per container a working directory, a
 * TMPDIR (a fresh directory, like a container's /tmp: two Dask workers must not share scratch
 * space) and one log file per run. All of it goes with the pod.
 */
final class PodDirectories {

    private final Path root;

    PodDirectories(Path podsDirectory, Pod pod) {
        String uid = pod.getMetadata().getUid() == null ? "nouid" : pod.getMetadata().getUid();
        String shortUid = uid.length() > 8 ? uid.substring(uid.length() - 8) : uid;
        this.root =
                podsDirectory.resolve(
                        pod.getMetadata().getNamespace()
                                + "_"
                                + pod.getMetadata().getName()
                                + "_"
                                + shortUid);
    }

    Path root() {
        return root;
    }

    Path workingDirectory(String container) {
        return create(root.resolve("containers").resolve(container).resolve("work"));
    }

    Path tmpDirectory(String container) {
        return create(root.resolve("containers").resolve(container).resolve("tmp"));
    }

    Path logFile(String container, int run) {
        Path directory = create(root.resolve("logs").resolve(container));
        return directory.resolve(run + ".log");
    }

    void delete() {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(
                            file -> {
                                try {
                                    Files.deleteIfExists(file);
                                } catch (IOException e) {
                                    throw new UncheckedIOException("cannot remove " + file, e);
                                }
                            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }

    private static Path create(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }
}
