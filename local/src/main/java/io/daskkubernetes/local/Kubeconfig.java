package io.daskkubernetes.local;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the kubeconfig file that points kubectl and child processes at the embedded API server.
 */
final class Kubeconfig {

    static final String NAME = "dask-local";

    private Kubeconfig() {}

    static Path write(Path file, String serverUrl, String namespace) {
        Config config =
                new ConfigBuilder()
                        .withApiVersion("v1")
                        .withKind("Config")
                        .addNewCluster()
                        .withName(NAME)
                        .withNewCluster()
                        .withServer(serverUrl)
                        .endCluster()
                        .endCluster()
                        .addNewUser()
                        .withName(NAME)
                        .withNewUser()
                        .endUser()
                        .endUser()
                        .addNewContext()
                        .withName(NAME)
                        .withNewContext()
                        .withCluster(NAME)
                        .withUser(NAME)
                        .withNamespace(namespace)
                        .endContext()
                        .endContext()
                        .withCurrentContext(NAME)
                        .build();
        try {
            Files.writeString(file, Serialization.asYaml(config));
            // Same permissions kubectl gives its own config: it is per user.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
        }
    }
}
