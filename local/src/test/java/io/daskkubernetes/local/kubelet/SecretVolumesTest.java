package io.daskkubernetes.local.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a mount path is replaced by the volume's directory in a process's words and environment. */
class SecretVolumesTest {

    private final SecretVolumes.Mounts mounts =
            new SecretVolumes.Mounts(Map.of("/etc/dask-tls", Path.of("/state/pods/p/volumes/tls")));

    @Test
    void aMountPathIsReplacedWhereverAPathStartsWithIt() {
        assertThat(
                        mounts.rewrite(
                                List.of(
                                        "--tls-cert",
                                        "/etc/dask-tls/worker.crt",
                                        "--tls-key=/etc/dask-tls/worker.key",
                                        "cat /etc/dask-tls/ca.crt; ls /etc/dask-tls",
                                        "/etc/dask-tls")))
                .containsExactly(
                        "--tls-cert",
                        "/state/pods/p/volumes/tls/worker.crt",
                        "--tls-key=/state/pods/p/volumes/tls/worker.key",
                        "cat /state/pods/p/volumes/tls/ca.crt; ls /state/pods/p/volumes/tls",
                        "/state/pods/p/volumes/tls");
    }

    @Test
    void otherPathsThatMerelyContainItAreLeftAlone() {
        assertThat(
                        mounts.rewrite(
                                List.of(
                                        "/etc/dask-tls-other/x",
                                        "/opt/etc/dask-tls/x",
                                        "etc/dask-tls")))
                .containsExactly("/etc/dask-tls-other/x", "/opt/etc/dask-tls/x", "etc/dask-tls");
    }

    @Test
    void environmentValuesAreRewrittenToo() {
        assertThat(mounts.rewrite(Map.of("CA", "/etc/dask-tls/ca.crt", "OTHER", "x")))
                .containsEntry("CA", "/state/pods/p/volumes/tls/ca.crt")
                .containsEntry("OTHER", "x");
    }

    @Test
    void octalModesBecomePermissions() {
        assertThat(PosixFilePermissions.toString(SecretVolumes.permissions(0644)))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(SecretVolumes.permissions(0400)))
                .isEqualTo("r--------");
    }
}
