package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Container processes are killed at a start only when their runtime is proven dead: its lock file
 * exists and nobody holds the lock. A PID proves nothing (it means something else in another PID
 * namespace), nor does a lock file that is not there.
 */
class OrphanedProcessesTest {

    private static Process sleeper(String runtimeId) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sleep", "600");
        builder.environment().put("LOCAL_KUBERNETES_RUNTIME", runtimeId);
        return builder.start();
    }

    private static String newId() {
        // A well-formed id that no runtime has: claim one and let it go, lock file and all.
        try (RuntimeIdentity identity = RuntimeIdentity.claim()) {
            return identity.id();
        }
    }

    @Test
    void killsProcessesOfARuntimeWhoseLockNobodyHolds() throws Exception {
        String dead = newId();
        Path lockFile = RuntimeIdentity.lockDirectory().resolve(dead + ".lock");
        Process orphan = sleeper(dead);
        Files.createFile(lockFile); // what a runtime killed with -9 leaves
        try {
            OrphanedProcesses.kill();

            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(lockFile).doesNotExist();
        } finally {
            orphan.destroyForcibly();
            Files.deleteIfExists(lockFile);
        }
    }

    @Test
    void forgetsDeadRuntimesThatLeftNoProcess() throws Exception {
        String dead = newId();
        Path lockFile = RuntimeIdentity.lockDirectory().resolve(dead + ".lock");
        Files.createFile(lockFile);
        try {
            OrphanedProcesses.kill();

            assertThat(lockFile).doesNotExist();
        } finally {
            Files.deleteIfExists(lockFile);
        }
    }

    @Test
    void leavesProcessesOfARuntimeAliveInAnotherProcess() throws Exception {
        String alive = newId();
        Path lockFile = RuntimeIdentity.lockDirectory().resolve(alive + ".lock");
        Files.createFile(lockFile);
        // Another process holds the POSIX record lock, as another runtime's JVM would (Python's
        // lockf is fcntl(F_SETLKW), the same kind of lock Java's FileChannel.lock takes).
        Process holder =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                "-c",
                                "import fcntl, sys, time\n"
                                        + "f = open(sys.argv[1], 'a')\n"
                                        + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                                        + "print('locked', flush=True)\n"
                                        + "time.sleep(600)\n",
                                lockFile.toString())
                        .start();
        Process owned = sleeper(alive);
        try {
            String answer =
                    new BufferedReader(
                                    new InputStreamReader(
                                            holder.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
            assertThat(answer).isEqualTo("locked");

            OrphanedProcesses.kill();

            assertThat(owned.isAlive()).isTrue();
            assertThat(lockFile).exists();
        } finally {
            owned.destroyForcibly();
            holder.destroyForcibly();
            owned.waitFor(5, TimeUnit.SECONDS);
            holder.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(lockFile);
        }
    }

    @Test
    void leavesProcessesOfRuntimesItCannotTell() throws Exception {
        // No lock file (another mount namespace, say), and the old pid-based ids of earlier
        // versions, whose JVM pid means nothing here.
        Process unknown = sleeper(newId());
        Process oldStyle = sleeper("rt-999999-1");
        try {
            OrphanedProcesses.kill();

            assertThat(unknown.isAlive()).isTrue();
            assertThat(oldStyle.isAlive()).isTrue();
        } finally {
            unknown.destroyForcibly();
            oldStyle.destroyForcibly();
            unknown.waitFor(5, TimeUnit.SECONDS);
            oldStyle.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void neverTakesALiveRuntimeOfThisJvmForDead() throws Exception {
        try (RuntimeIdentity identity = RuntimeIdentity.claim()) {
            Process owned = sleeper(identity.id());
            try {
                OrphanedProcesses.kill();

                assertThat(owned.isAlive()).isTrue();
                assertThat(RuntimeIdentity.of(identity.id()))
                        .isEqualTo(RuntimeIdentity.Liveness.ALIVE);
                assertThat(identity.lockFile()).exists();
            } finally {
                owned.destroyForcibly();
                owned.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
