package io.daskkubernetes.local.api;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Clients and raw connections that carry an embedded API server's CA and token, for tests. */
public final class AuthenticatedConnections {

    private AuthenticatedConnections() {}

    /** A fabric8 client for {@code server}, reaching it at {@code url} (a proxy, say). */
    public static KubernetesClient client(EmbeddedApiServer server, String url, String namespace) {
        return new KubernetesClientBuilder()
                .withConfig(
                        new ConfigBuilder(server.clientConfig(namespace))
                                .withMasterUrl(url)
                                .build())
                .build();
    }

    /**
     * A client of {@code server} whose {@code namespace} exists, as objects need on a real cluster.
     */
    public static KubernetesClient clientInNewNamespace(
            EmbeddedApiServer server, String namespace) {
        KubernetesClient client = client(server, server.url(), namespace);
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(namespace)
                                .endMetadata()
                                .build())
                .create();
        return client;
    }

    /**
     * An HTTPS connection to {@code server}'s {@code path} that trusts its CA and sends the token.
     */
    public static HttpURLConnection open(EmbeddedApiServer server, String path) throws IOException {
        return open(server.url() + path, server.credentials(), true);
    }

    /**
     * An HTTPS connection to {@code url} that trusts the runtime's CA, with the token when {@code
     * withToken}.
     */
    public static HttpURLConnection open(String url, ApiCredentials credentials, boolean withToken)
            throws IOException {
        HttpsURLConnection connection =
                (HttpsURLConnection) URI.create(url).toURL().openConnection();
        connection.setSSLSocketFactory(trusting(credentials).getSocketFactory());
        if (withToken) {
            connection.setRequestProperty("Authorization", "Bearer " + credentials.bearerToken());
        }
        return connection;
    }

    /** A java.net.http client that trusts {@code server}'s CA. */
    public static HttpClient httpClient(EmbeddedApiServer server) {
        return HttpClient.newBuilder().sslContext(trusting(server.credentials())).build();
    }

    /** A request to {@code server}'s {@code path} that carries its token. */
    public static HttpRequest.Builder request(EmbeddedApiServer server, String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + server.credentials().bearerToken());
    }

    static SSLContext trusting(ApiCredentials credentials) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry(
                    "runtime-ca",
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(
                                    new ByteArrayInputStream(
                                            credentials
                                                    .certificateAuthorityPem()
                                                    .getBytes(StandardCharsets.UTF_8))));
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the runtime's CA", e);
        }
    }
}
