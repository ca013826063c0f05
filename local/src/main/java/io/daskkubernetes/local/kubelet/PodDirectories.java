package io.daskkubernetes.local.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of one pod under the runtime's state directory: per container a working directory, a
 * TMPDIR (a fresh directory, like a container's /tmp: two Dask workers must not share scratch
 * space) and one log file per run. All of it goes with the pod.
 */
final class PodDirectories {

    private final Path podsDirectory;
    private final Path root;

    PodDirectories(Path podsDirectory, Pod pod) {
        this.podsDirectory = podsDirectory;
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

    /**
     * Gives the container's working and temporary directories to {@code uid:gid}, and lets it pass
     * (not list) the directories above them up to the runtime's state directory, which only the
     * runtime's user may otherwise enter.
     */
    void grantTo(String container, long uid, long gid) {
        Path containerDirectory = root.resolve("containers").resolve(container);
        try {
            for (Path directory : List.of(workingDirectory(container), tmpDirectory(container))) {
                Files.setAttribute(directory, "unix:uid", (int) uid);
                Files.setAttribute(directory, "unix:gid", (int) gid);
            }
            Path stateDirectory = podsDirectory.getParent();
            for (Path directory = containerDirectory;
                    directory != null && directory.startsWith(stateDirectory);
                    directory = directory.getParent()) {
                Set<PosixFilePermission> permissions =
                        new HashSet<>(Files.getPosixFilePermissions(directory));
                boolean changed = permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                // A process whose group is the directory's (root's, as an image's USER with no
                // group gets) is judged by the group bits, not the others' bits.
                Object group = Files.getAttribute(directory, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                if (group instanceof Integer owningGroup && owningGroup == gid) {
                    changed |= permissions.add(PosixFilePermission.GROUP_EXECUTE);
                }
                if (changed) {
                    Files.setPosixFilePermissions(directory, permissions);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot give the directories of container " + container + " to uid " + uid, e);
        }
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
