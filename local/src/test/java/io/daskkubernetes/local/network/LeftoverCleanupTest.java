package io.daskkubernetes.local.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a runtime killed without closing leaves (as root): the next start removes it by name prefix.
 */
class LeftoverCleanupTest {

    /** Not a runtime prefix ("dklN-"), so no live runtime can be hit by this test. */
    private static final String PREFIX = "dkltest" + ProcessHandle.current().pid() + "-";

    private Process sleeper;

    @AfterEach
    void cleanUp() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
        LeftoverCleanup.removeEverythingNamed(PREFIX);
    }

    @Test
    void removesNamespacesWithTheirProcessesLinksAndFiles() throws Exception {
        String namespace = PREFIX + "1";
        IpCommand.run("netns", "add", namespace);
        IpCommand.run(
                "link",
                "add",
                PREFIX + "v1",
                "type",
                "veth",
                "peer",
                "name",
                "eth0",
                "netns",
                namespace);
        Files.createDirectories(Path.of("/etc/netns", namespace));
        Files.writeString(Path.of("/etc/netns", namespace, "hosts"), "127.0.0.1 localhost\n");
        sleeper =
                new ProcessBuilder(IpCommand.IP, "netns", "exec", namespace, "sleep", "600")
                        .start();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !IpCommand.run("netns", "pids", namespace).isBlank());

        LeftoverCleanup.removeEverythingNamed(PREFIX);

        assertThat(LeftoverCleanup.namespaces(PREFIX)).isEmpty();
        assertThat(LeftoverCleanup.links(PREFIX)).isEmpty();
        assertThat(Path.of("/etc/netns", namespace)).doesNotExist();
        assertThat(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
}
