package io.daskkubernetes.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a runtime is, in a way that means the same thing in every PID namespace: a random id (every
 * container process carries it) and a lock on the file {@code <id>.lock} that the runtime's JVM
 * holds while it lives. A process id would not do: the same number names different processes in
 * different PID namespaces. The kernel drops the lock when the JVM dies by any means, so "the lock
 * file exists and nobody holds it" proves the runtime is dead; a missing file proves nothing (it
 * may live in a directory this process does not see) and leaves the runtime's processes alone.
 */
final class RuntimeIdentity implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeIdentity.class);
    private static final Pattern ID = Pattern.compile("rt-[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Ids held by this JVM. Their lock files must never be opened here by anyone else: closing any
     * channel to a file drops every lock this process holds on it (POSIX record locks).
     */
    private static final Set<String> HELD_HERE = ConcurrentHashMap.newKeySet();

    /** What is known about a runtime from its id. */
    enum Liveness {
        ALIVE,
        DEAD,
        UNKNOWN
    }

    private final String id;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private RuntimeIdentity(String id, Path lockFile, FileChannel channel, FileLock lock) {
        this.id = id;
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** A new id, locked by this JVM until {@link #close()}. */
    static RuntimeIdentity claim() {
        Path directory = lockDirectory();
        String id = "rt-" + HexFormat.of().formatHex(bytes());
        Path file = directory.resolve(id + ".lock");
        try {
            createTrusted(directory);
            FileChannel channel =
                    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the new runtime lock " + file + " is taken");
            }
            HELD_HERE.add(id);
            return new RuntimeIdentity(id, file, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the runtime lock "
                            + file
                            + "; the local runtime needs a writable "
                            + directory,
                    e);
        }
    }

    private static byte[] bytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Where the lock files are: /run (a tmpfs every PID namespace of the machine usually shares)
     * for root, a per-user directory in the temporary directory otherwise.
     */
    static Path lockDirectory() {
        if (RootCheck.isRoot()) {
            return Path.of("/run/dask-local-kubernetes/runtimes");
        }
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "dask-local-kubernetes-" + System.getProperty("user.name"),
                "runtimes");
    }

    /**
     * Creates the lock directory (mode 0700 below the shared temporary directory) and checks that
     * nobody else can change it: who could swap a live runtime's lock file for an unlocked one
     * would make the sweep kill that runtime's pods.
     */
    private static void createTrusted(Path directory) throws IOException {
        if (RootCheck.isRoot()) {
            Files.createDirectories(directory);
            return;
        }
        Path own = directory.getParent();
        for (Path path : List.of(own, directory)) {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(
                        path,
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
            }
            int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> permissions =
                    Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (owner != (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")
                    || permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalStateException(
                        path
                                + " belongs to another user or others may write to it; remove it"
                                + " (the local runtime keeps its locks there) or set"
                                + " java.io.tmpdir to a directory of your own");
            }
        }
    }

    String id() {
        return id;
    }

    Path lockFile() {
        return lockFile;
    }

    static boolean isWellFormed(String id) {
        return ID.matcher(id).matches();
    }

    /** Whether the runtime {@code id} is alive, dead, or cannot be told from here. */
    static Liveness of(String id) {
        if (!isWellFormed(id)) {
            return Liveness.UNKNOWN;
        }
        if (HELD_HERE.contains(id)) {
            return Liveness.ALIVE;
        }
        Path file = lockDirectory().resolve(id + ".lock");
        // No CREATE: a file that is gone stays gone, and proves nothing.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return Liveness.ALIVE;
            }
            lock.release();
            return Liveness.DEAD;
        } catch (NoSuchFileException e) {
            return Liveness.UNKNOWN;
        } catch (OverlappingFileLockException e) {
            return Liveness.ALIVE;
        } catch (IOException e) {
            LOG.warn("cannot tell whether runtime {} is alive from {}", id, file, e);
            return Liveness.UNKNOWN;
        }
    }

    /** The ids of the runtimes whose lock files are in {@link #lockDirectory()}. */
    static List<String> knownIds() {
        Path directory = lockDirectory();
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".lock"))
                    .map(name -> name.substring(0, name.length() - ".lock".length()))
                    .filter(RuntimeIdentity::isWellFormed)
                    .toList();
        } catch (IOException e) {
            LOG.warn("cannot list the runtime locks in {}", directory, e);
            return List.of();
        }
    }

    /** Removes the lock file of a runtime found dead, once nothing of it is left. */
    static void forget(String id) {
        if (!isWellFormed(id) || HELD_HERE.contains(id)) {
            return;
        }
        try {
            Files.deleteIfExists(lockDirectory().resolve(id + ".lock"));
        } catch (IOException e) {
            LOG.warn("cannot remove the lock file of dead runtime {}", id, e);
        }
    }

    @Override
    public void close() {
        try {
            // Deleted while still locked, so that nobody can find it unlocked in between and take
            // this live runtime for a dead one.
            Files.deleteIfExists(lockFile);
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("could not release the runtime lock {}", lockFile, e);
        } finally {
            HELD_HERE.remove(id);
        }
    }

    @Override
    public String toString() {
        return "runtime identity " + id;
    }
}
