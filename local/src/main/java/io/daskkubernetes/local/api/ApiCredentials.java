package io.daskkubernetes.local.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PfxOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What it takes to talk to one runtime's API server: a random bearer token that every request must
 * carry, and the CA that signed the server's TLS certificate. Only the runtime's owner gets them,
 * through the kubeconfig (mode 0600) and the runtime's own client; any other local user who finds
 * the port gets 401.
 */
public final class ApiCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final RuntimeCertificates certificates;

    private ApiCredentials(String token, RuntimeCertificates certificates) {
        this.token = token;
        this.certificates = certificates;
    }

    /** A new token, CA and server certificate for a server listening on {@code host}. */
    static ApiCredentials generate(String host) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new ApiCredentials(
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                RuntimeCertificates.generate(host));
    }

    /** The token for {@code Authorization: Bearer ...}. */
    public String bearerToken() {
        return token;
    }

    /** The PEM of the CA that signed the API server's certificate. */
    public String certificateAuthorityPem() {
        return certificates.authorityPem();
    }

    /** Whether an {@code Authorization} header value carries this runtime's token. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Constant time: how much of a guess matched must not show in the response time.
        return MessageDigest.isEqual(
                authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** The server's key and certificate for Vert.x. */
    PfxOptions serverKeyCertOptions() {
        // The store lives only in memory; its password only satisfies the PKCS#12 format.
        char[] password = token.toCharArray();
        return new PfxOptions()
                .setValue(Buffer.buffer(certificates.serverKeyStore(password)))
                .setPassword(token);
    }
}
