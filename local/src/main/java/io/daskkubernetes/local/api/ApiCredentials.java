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
 * the port gets 401. Pods get a token of their service account instead, signed with the runtime's
 * secret (an HMAC, as kube-apiserver signs its service account tokens), which the kubelet writes
 * into the pod.
 */
public final class ApiCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String SERVICE_ACCOUNT_PREFIX = "sa.";

    private final String token;
    private final RuntimeCertificates certificates;

    private ApiCredentials(String token, RuntimeCertificates certificates) {
        this.token = token;
        this.certificates = certificates;
    }

    /** A new token, CA and server certificate for a server listening on {@code host}. */
    static ApiCredentials generate(String host) {
        return generate(RuntimeCertificates.generate(host));
    }

    /** A new token, CA and server certificate for these addresses and DNS names. */
    static ApiCredentials generate(
            java.util.List<String> ipAddresses, java.util.List<String> names) {
        return generate(RuntimeCertificates.generate(ipAddresses, names));
    }

    private static ApiCredentials generate(RuntimeCertificates certificates) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new ApiCredentials(
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret), certificates);
    }

    /**
     * The token of service account {@code name} in {@code namespace}: what the kubelet puts at
     * {@code /var/run/secrets/kubernetes.io/serviceaccount/token} of the pods that run as it.
     */
    public String serviceAccountToken(String namespace, String name) {
        String subject = namespace + "/" + name;
        return SERVICE_ACCOUNT_PREFIX
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(subject.getBytes(StandardCharsets.UTF_8))
                + "."
                + signature(subject);
    }

    private String signature(String subject) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(
                    new javax.crypto.spec.SecretKeySpec(
                            token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
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
        String presented = authorization.substring(7).trim();
        if (presented.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            return acceptsServiceAccountToken(presented);
        }
        // Constant time: how much of a guess matched must not show in the response time.
        return MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private boolean acceptsServiceAccountToken(String presented) {
        String[] parts = presented.substring(SERVICE_ACCOUNT_PREFIX.length()).split("\\.", -1);
        if (parts.length != 2) {
            return false;
        }
        String subject;
        try {
            subject = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(
                parts[1].getBytes(StandardCharsets.UTF_8),
                signature(subject).getBytes(StandardCharsets.UTF_8));
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
