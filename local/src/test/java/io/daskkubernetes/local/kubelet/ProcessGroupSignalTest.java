package io.daskkubernetes.local.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessGroupSignalTest {

    @Test
    void signalsAGroupAndSaysSo() throws Exception {
        Process leader = new ProcessBuilder("/usr/bin/setsid", "sleep", "300").start();
        try {
            assertThat(ProcessGroupSignal.send(leader.pid(), "KILL"))
                    .isEqualTo(ProcessGroupSignal.Outcome.DELIVERED);
            assertThat(leader.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ProcessGroupSignal.send(leader.pid(), "TERM"))
                    .isEqualTo(ProcessGroupSignal.Outcome.GROUP_EMPTY);
        } finally {
            leader.destroyForcibly();
        }
    }

    @Test
    void refusesGroupsThatMeanEveryProcess() {
        assertThatThrownBy(() -> ProcessGroupSignal.command(1, "KILL"))
                .hasMessageContaining("process group");
        assertThatThrownBy(() -> ProcessGroupSignal.command(100, "STOP; rm"))
                .hasMessageContaining("signal must be one of");
    }

    /**
     * The defect: in a fresh PID namespace the first processes get PIDs 2..93, for which
     * Debian's /usr/bin/kill exits 1 without signalling. The group here gets PID 40.
     */
    @Test
    void signalsAGroupWithALowIdInAPidNamespace() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "a PID namespace and ns_last_pid need root");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script =
                "echo 39 > /proc/sys/kernel/ns_last_pid; /usr/bin/setsid sleep 300 & exec \""
                        + java
                        + "\" -cp \"$0\" "
                        + LowGroupSignaller.class.getName()
                        + " $!";
        Process namespace =
                new ProcessBuilder(
                                List.of(
                                        "unshare",
                                        "--pid",
                                        "--fork",
                                        "--mount-proc",
                                        "/bin/bash",
                                        "-c",
                                        script,
                                        System.getProperty("java.class.path")))
                        .redirectErrorStream(true)
                        .start();
        try {
            assertThat(namespace.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output =
                    new String(namespace.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).contains("pgid=40 outcome=DELIVERED empty=true");
        } finally {
            // Killing unshare's child (PID 1 of the namespace) takes every process in it along.
            namespace.descendants().forEach(ProcessHandle::destroyForcibly);
            namespace.destroyForcibly();
        }
    }
}
