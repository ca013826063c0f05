package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Container processes whose runtime's JVM died are killed by the next start; live runtimes' are
 * not.
 */
class OrphanedProcessesTest {

    private static Process sleeper(String runtimeId) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sleep", "600");
        builder.environment().put("LOCAL_KUBERNETES_RUNTIME", runtimeId);
        return builder.start();
    }

    @Test
    void killsOnlyProcessesOfDeadJvms() throws Exception {
        Process deadJvm = new ProcessBuilder("true").start();
        deadJvm.waitFor();
        Process orphan = sleeper("rt-" + deadJvm.pid() + "-1");
        Process owned = sleeper("rt-" + ProcessHandle.current().pid() + "-1");
        try {
            OrphanedProcesses.kill();

            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(owned.isAlive()).isTrue();
        } finally {
            orphan.destroyForcibly();
            owned.destroyForcibly();
            owned.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
