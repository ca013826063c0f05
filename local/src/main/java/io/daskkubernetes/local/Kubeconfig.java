package io.daskkubernetes.local;

import io.daskkubernetes.local.api.ApiCredentials;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * Writes the kubeconfig file that points kubectl and child processes at the embedded API server.
 */
final class Kubeconfig {

    static final String NAME = "dask-local";

    private Kubeconfig() {}

    /**
     * Writes a kubeconfig with the server's URL, its CA and the bearer token, readable by the owner
     * only: whoever reads it can do anything the runtime can.
     */
    static Path write(Path file, String serverUrl, ApiCredentials credentials, String namespace) {
        Config config =
                new ConfigBuilder()
                        .withApiVersion("v1")
                        .withKind("Config")
                        .addNewCluster()
                        .withName(NAME)
                        .withNewCluster()
                        .withServer(serverUrl)
                        .withCertificateAuthorityData(
                                Base64.getEncoder()
                                        .encodeToString(
                                                credentials
                                                        .certificateAuthorityPem()
                                                        .getBytes(StandardCharsets.UTF_8)))
                        .endCluster()
                        .endCluster()
                        .addNewUser()
                        .withName(NAME)
                        .withNewUser()
                        .withToken(credentials.bearerToken())
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
            // Created with mode 0600, so that the token is never readable by others, not even
            // for a moment between writing and chmod.
            Files.deleteIfExists(file);
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Serialization.asYaml(config));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
        }
    }
}
