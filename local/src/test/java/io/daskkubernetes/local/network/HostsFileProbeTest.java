package io.daskkubernetes.local.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up check of per-pod hosts files on the host network, and what pods get when it fails:
 * the machine's /etc/hosts, as before there were per-pod files, and nothing left in the runtime's
 * directory.
 */
class HostsFileProbeTest {

    @TempDir Path directory;

    private static Pod pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .endContainer()
                .endSpec()
                .build();
    }

    @Test
    void theProbeWorksHereAndLeavesNoFile() {
        assertThat(HostsFileMount.whyUnavailable(directory.resolve("probe.hosts"))).isEmpty();
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void theProbeSaysWhyItFails() {
        assertThat(
                        HostsFileMount.whyUnavailable(
                                directory.resolve("no-such-directory").resolve("probe.hosts")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("no-such-directory"));
    }

    @Test
    void withoutUserNamespacesPodsRunAsBeforeAndNoFileIsMade() throws Exception {
        Path hosts = Files.createDirectories(directory.resolve("hosts"));
        HostNetwork network =
                HostNetwork.withProbeResult(
                        hosts, Optional.of("unshare failed: Operation not permitted"));

        PodSandbox sandbox = network.createSandbox(pod());
        network.updateServiceNames(
                new ServiceNames(List.of(new ServiceNames.Entry("default", "web", "127.0.0.1"))));

        assertThat(sandbox.commandPrefix()).isEmpty();
        assertThat(sandbox.podIp()).isEqualTo("127.0.0.1");
        assertThat(directory).isEmptyDirectory();
        sandbox.close();
        network.close();
    }

    @Test
    void aPodsHostsFileFollowsTheServicesAndGoesWithThePod() throws Exception {
        Path hosts = Files.createDirectories(directory.resolve("hosts"));
        HostNetwork network = HostNetwork.withProbeResult(hosts, Optional.empty());
        PodSandbox sandbox = network.createSandbox(pod());
        Path file = Path.of(sandbox.commandPrefix().get(sandbox.commandPrefix().size() - 1));
        Object inode = Files.getAttribute(file, "unix:ino");

        network.updateServiceNames(
                new ServiceNames(List.of(new ServiceNames.Entry("default", "web", "127.0.0.1"))));

        assertThat(Files.readString(file))
                .contains("127.0.0.1\tp\n")
                .contains(
                        "127.0.0.1\tweb web.default web.default.svc web.default.svc.cluster.local\n");
        // The pod's processes have this very inode mounted over /etc/hosts: an update must not
        // replace it.
        assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
        sandbox.close();
        assertThat(file).doesNotExist();
        network.updateServiceNames(ServiceNames.NONE);
        assertThat(file).doesNotExist();
        network.close();
        assertThat(hosts).doesNotExist();
    }
}
