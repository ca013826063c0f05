package io.daskkubernetes.scheduler;

import io.daskkubernetes.model.TlsCredentials;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a client needs to talk to a Dask scheduler over {@code tls://}: the cluster's CA (the only
 * one trusted) and a client certificate with its key, since Dask's TLS is mutual. As in Dask, the
 * scheduler's host name is not checked, only that its certificate comes from the cluster's CA.
 */
public final class DaskTls {

    private static final Pattern PRIVATE_KEY =
            Pattern.compile(
                    "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    private final SSLContext context;

    private DaskTls(SSLContext context) {
        this.context = context;
    }

    /** The client's side of a cluster's credentials. */
    public static DaskTls client(TlsCredentials credentials) {
        return fromPem(
                credentials.caCertificate(),
                credentials.clientCertificate(),
                credentials.clientKey());
    }

    /**
     * @param caPem the CA certificate(s) to trust, PEM
     * @param certificatePem our certificate (and any intermediates), PEM
     * @param keyPem our private key, PEM in PKCS#8 ({@code BEGIN PRIVATE KEY})
     */
    public static DaskTls fromPem(String caPem, String certificatePem, String keyPem) {
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (Certificate ca : certificates(x509, caPem, "the CA certificate")) {
                trusted.setCertificateEntry("ca-" + index++, ca);
            }
            KeyStore own = KeyStore.getInstance(KeyStore.getDefaultType());
            own.load(null, null);
            own.setKeyEntry(
                    "client",
                    privateKey(keyPem),
                    NO_PASSWORD,
                    certificates(x509, certificatePem, "the client certificate")
                            .toArray(new Certificate[0]));
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(own, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return new DaskTls(context);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException(
                    "cannot use the cluster's TLS credentials: " + e.getMessage(), e);
        }
    }

    SSLSocketFactory socketFactory() {
        return context.getSocketFactory();
    }

    /**
     * Dask's TLS versions: 1.2 and later ({@code distributed.comm.tls.min-version}), none older.
     */
    static String[] protocols() {
        return new String[] {"TLSv1.3", "TLSv1.2"};
    }

    private static List<? extends Certificate> certificates(
            CertificateFactory x509, String pem, String what) throws GeneralSecurityException {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(what + " is not a PEM certificate");
        }
        Collection<? extends Certificate> parsed =
                x509.generateCertificates(
                        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        return List.copyOf(parsed);
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        Matcher matcher = PRIVATE_KEY.matcher(pem == null ? "" : pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException(
                    "the client key is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with"
                            + " openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisAlgorithm) {
                // try the next one: PKCS#8 names the algorithm, but KeyFactory wants to be told
            }
        }
        throw new IllegalArgumentException("the client key is neither an EC, RSA nor Ed25519 key");
    }
}
