package io.daskkubernetes.local.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.daskkubernetes.local.network.HostNetwork;
import io.daskkubernetes.local.network.PodSandbox;
import io.daskkubernetes.local.network.ServiceNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line the kubelet starts a host-network container with works for a user who is not
 * root, the user the host network is for: run here as nobody, it leads its own process group and
 * resolves a Service name through the pod's own hosts file.
 */
class UnprivilegedHostsFileTest {

    /**
     * setpriv execs the rest as nobody, with no capabilities left: what a non-root JVM's children
     * have.
     */
    private static final List<String> AS_NOBODY =
            List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");

    @TempDir Path directory;

    private static Pod pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("caller")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    void aContainerStartedAsNobodyLeadsItsGroupAndResolvesServiceNames() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "only root can become nobody to run this check");
        // nobody must reach the hosts file, as a non-root runtime's pods reach their runtime's
        // files.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The command line of a runtime that is not root: with an unprivileged user namespace.
        HostNetwork network = HostNetwork.start(directory.resolve("hosts"), true);
        try {
            PodSandbox sandbox = network.createSandbox(pod());
            network.updateServiceNames(
                    new ServiceNames(
                            List.of(new ServiceNames.Entry("default", "myservice", "127.0.0.1"))));
            List<String> prefix = new ArrayList<>(AS_NOBODY);
            prefix.addAll(sandbox.commandPrefix());
            Path log = directory.resolve("main.log");

            ContainerProcess process =
                    ContainerProcess.start(
                            prefix,
                            "/bin/sh",
                            List.of(
                                    "-c",
                                    "echo pgid $(cut -d' ' -f5 /proc/$$/stat); getent hosts myservice.default caller; "
                                            + "echo uid_map $(cat /proc/self/uid_map)"),
                            Map.of("PATH", "/usr/bin:/bin"),
                            directory,
                            log);
            int exitCode = process.exit().get(30, TimeUnit.SECONDS);

            String output = Files.readString(log);
            assertThat(exitCode).as(output).isZero();
            assertThat(output)
                    .contains("pgid " + process.pid() + "\n")
                    .containsPattern(
                            "127\\.0\\.0\\.1\\s+myservice myservice\\.default myservice\\.default\\.svc")
                    .containsPattern("127\\.0\\.0\\.1\\s+caller\n")
                    // Root inside its user namespace is nobody (65534) outside: the check really
                    // ran unprivileged.
                    .containsPattern("uid_map 0 65534 1\n");
            sandbox.close();
        } finally {
            network.close();
        }
        assertThat(directory.resolve("hosts")).doesNotExist();
    }
}
