package io.daskkubernetes.local.network;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A number 0..255 that this runtime owns on this machine while it runs, so that runtimes side by
 * side (parallel tests, a developer's CLI) get their own bridge, pod subnet 10.244.N.0/24, service
 * range 10.96.N.0/24 and name prefix {@code dklN}. Ownership is an OS file lock: it ends with the
 * JVM, so the next runtime that takes the number knows that whatever carries its prefix is left
 * over. The empty lock files stay in /run (a tmpfs): deleting one while another runtime opens it
 * would let two runtimes lock the same number.
 */
final class RuntimeSlot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeSlot.class);
    static final Path LOCK_DIRECTORY = Path.of("/run/dask-local-kubernetes");
    private static final int SLOTS = 256;
    private static final java.util.Set<Integer> HELD_HERE = new java.util.HashSet<>();

    private final int number;
    private final FileChannel channel;
    private final FileLock lock;

    private RuntimeSlot(int number, FileChannel channel, FileLock lock) {
        this.number = number;
        this.channel = channel;
        this.lock = lock;
    }

    static RuntimeSlot acquire() {
        try {
            Files.createDirectories(LOCK_DIRECTORY);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot create " + LOCK_DIRECTORY + "; pod networking needs root", e);
        }
        for (int number = 0; number < SLOTS; number++) {
            RuntimeSlot slot = tryAcquire(number);
            if (slot != null) {
                return slot;
            }
        }
        throw new IllegalStateException(
                "all "
                        + SLOTS
                        + " local runtime slots are taken (see "
                        + LOCK_DIRECTORY
                        + "); close other LocalKubernetes instances");
    }

    /** The slot {@code number} if nobody holds it, else null. */
    static RuntimeSlot tryAcquire(int number) {
        if (number < 0 || number >= SLOTS) {
            throw new IllegalArgumentException(
                    "slot number must be in 0.." + (SLOTS - 1) + ", not " + number);
        }
        synchronized (HELD_HERE) {
            // Never open the file of a slot this JVM holds: closing any channel to it would drop
            // our lock (POSIX record locks belong to the process, not the channel).
            if (HELD_HERE.contains(number)) {
                return null;
            }
            Path file = LOCK_DIRECTORY.resolve("slot-" + number + ".lock");
            FileChannel channel = null;
            try {
                channel =
                        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    HELD_HERE.add(number);
                    return new RuntimeSlot(number, channel, lock);
                }
                channel.close();
            } catch (IOException | OverlappingFileLockException e) {
                LOG.debug("slot {} unavailable: {}", number, e.toString());
                closeQuietly(channel);
            }
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a slot file failed", e);
        }
    }

    int number() {
        return number;
    }

    String prefix() {
        return "dkl" + number;
    }

    @Override
    public void close() {
        synchronized (HELD_HERE) {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                LOG.warn("could not release slot {}", number, e);
            } finally {
                HELD_HERE.remove(number);
            }
        }
    }
}
