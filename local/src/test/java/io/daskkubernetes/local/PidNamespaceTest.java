package io.daskkubernetes.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime in a PID namespace of its own ({@code unshare --pid --fork --mount-proc}), as in a
 * container or CI: the repros.
 */
class PidNamespaceTest {

    private Path logs;
    private ChildRuntime inNamespace;

    @BeforeEach
    void startRuntimeInPidNamespace() throws Exception {
        assumeTrue(RootCheck.isRoot(), "PID namespaces and ns_last_pid need root");
        logs = Files.createTempDirectory("pid-namespace-test-");
        inNamespace =
                ChildRuntime.start(PodNetworkMode.NAMESPACES, true, logs.resolve("runtime.log"));
    }

    @AfterEach
    void stopAndCheck() throws Exception {
        if (inNamespace != null) {
            inNamespace.close();
            RuntimeLeftovers.assertNothingLeft(
                    inNamespace.runtimeId, inNamespace.networkPrefix, inNamespace.stateDirectory);
        }
        if (logs != null) {
            Files.deleteIfExists(logs.resolve("runtime.log"));
            Files.delete(logs);
        }
    }

    /** The process group of a pod's first process, as the pod's own PID namespace numbers it. */
    private static long pgidInItsNamespace(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("NSpgid:")) {
                String[] ids = line.substring(7).trim().split("\\s+");
                return Long.parseLong(ids[ids.length - 1]);
            }
        }
        throw new IllegalStateException("no NSpgid in /proc/" + pid + "/status");
    }

    /**
     * Issue 11 defect 2: a pod whose process group id is 2..93 (Debian's /usr/bin/kill fails for
     * those) could never be stopped; {@code kubectl delete pod lowpid --grace-period=3} hung.
     */
    @Test
    void aPodWithALowProcessGroupIdIsStoppedWithinItsGracePeriod() throws Exception {
        var client = inNamespace.client();
        inNamespace.setLastPid(39);
        // TERM ignored (sleep inherits that): only SIGKILL, after the grace period, stops it.
        client.pods()
                .resource(KilledRuntimeTest.pod("lowpid", "trap '' TERM; sleep 3000 & wait"))
                .create();
        KilledRuntimeTest.awaitRunning(client, "lowpid");
        List<Long> processes = RuntimeLeftovers.processes(inNamespace.runtimeId);
        long lowest = processes.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertThat(pgidInItsNamespace(lowest)).isBetween(2L, 93L);

        long deleted = System.nanoTime();
        client.pods().withName("lowpid").withGracePeriod(3).delete();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().withName("lowpid").get() == null);
        assertThat(Duration.ofNanos(System.nanoTime() - deleted))
                .isGreaterThan(Duration.ofSeconds(2));
        System.out.printf(
                "low-PGID pod deleted in %d ms%n", (System.nanoTime() - deleted) / 1_000_000);
        assertThat(RuntimeLeftovers.processes(inNamespace.runtimeId)).isEmpty();
    }

    /**
     * Issue 11 defect 3: a runtime starting in the parent PID namespace killed the pods of a live
     * runtime in a child namespace, taking its JVM's PID for the PID of a dead JVM.
     */
    @Test
    void aRuntimeStartingOutsideLeavesTheNamespacesPodsAlone() throws Exception {
        var client = inNamespace.client();
        KilledRuntimeTest.runPods(client, "kept");
        List<Long> processes = RuntimeLeftovers.processes(inNamespace.runtimeId);
        assertThat(processes).isNotEmpty();

        try (LocalKubernetes outside = LocalKubernetes.start()) {
            assertThat(outside.runtimeId()).isNotEqualTo(inNamespace.runtimeId);
        }

        assertThat(processes).allMatch(pid -> ProcessHandle.of(pid).isPresent());
        assertThat(client.pods().withName("kept").get().getStatus().getPhase())
                .isEqualTo("Running");
    }
}
