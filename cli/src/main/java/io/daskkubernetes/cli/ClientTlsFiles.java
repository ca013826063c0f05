package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.model.ClusterTls;
import io.daskkubernetes.model.TlsCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS cluster's client credentials (the CA, the client certificate and key) as files a Dask
 * client can use, in a temporary directory only this user can read (0700, files 0600), removed when
 * the command ends; with the variables that make {@code distributed.Client()} use them (Dask's
 * {@code distributed.comm.tls.*} configuration). A cluster without TLS gets nothing.
 */
final class ClientTlsFiles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClientTlsFiles.class);

    static final String CA_ENV = "DASK_DISTRIBUTED__COMM__TLS__CA_FILE";
    static final String CERT_ENV = "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT";
    static final String KEY_ENV = "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY";
    static final String REQUIRE_ENCRYPTION_ENV = "DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION";

    private final Path directory;
    private final Map<String, String> environment;

    private ClientTlsFiles(Path directory, Map<String, String> environment) {
        this.directory = directory;
        this.environment = environment;
    }

    /** The files of {@code cluster}'s credentials, or none when it does not use TLS. */
    static ClientTlsFiles writeFor(KubeCluster cluster) {
        Optional<TlsCredentials> credentials = cluster.tlsCredentials();
        if (credentials.isEmpty()) {
            return new ClientTlsFiles(null, Map.of());
        }
        try {
            Path directory =
                    Files.createTempDirectory(
                            "dask-tls-" + cluster.name() + "-",
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rwx------")));
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put(
                    CA_ENV,
                    write(directory, TlsCredentials.CA_FILE, credentials.get().caCertificate()));
            environment.put(
                    CERT_ENV,
                    write(
                            directory,
                            TlsCredentials.CLIENT_CERT_FILE,
                            credentials.get().clientCertificate()));
            environment.put(
                    KEY_ENV,
                    write(
                            directory,
                            TlsCredentials.CLIENT_KEY_FILE,
                            credentials.get().clientKey()));
            environment.put(REQUIRE_ENCRYPTION_ENV, "True");
            return new ClientTlsFiles(directory, Map.copyOf(environment));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the TLS client files of cluster " + cluster.name(), e);
        }
    }

    private static String write(Path directory, String name, String pem) throws IOException {
        Path file =
                Files.createFile(
                        directory.resolve(name),
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pem);
        return file.toString();
    }

    /** Variables for a Dask client's environment; empty without TLS. */
    Map<String, String> environment() {
        return environment;
    }

    /**
     * Lines telling a user how to connect: the variables to export, and how to get the files from
     * the cluster's Secret once this command's copies are gone.
     */
    List<String> howToConnect(KubeCluster cluster) {
        if (directory == null) {
            return List.of();
        }
        String secret = ClusterTls.secretName(cluster.name());
        List<String> lines = new ArrayList<>();
        lines.add(
                "tls:       client certificate in "
                        + directory
                        + " (removed when this command ends); for a Python client:");
        environment.forEach((name, value) -> lines.add("           export " + name + "=" + value));
        lines.add(
                "           or from the Secret: kubectl get secret "
                        + secret
                        + " -n "
                        + cluster.namespace()
                        + " -o jsonpath='{.data.client\\.key}' | base64 -d > client.key"
                        + " (likewise ca.crt, client.crt)");
        return lines;
    }

    @Override
    public void close() {
        if (directory == null) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            log.warn("could not remove the TLS client files in {}: {}", directory, e.toString());
        }
    }
}
