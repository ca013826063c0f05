package io.daskkubernetes.tls;

import io.daskkubernetes.model.TlsCredentials;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the certificates of one TLS cluster (dask-gateway's model): a CA of its own, and a
 * certificate and key for the scheduler, the workers and clients, signed by it. Dask checks the
 * peer's certificate against the CA but not its host name, so the subjects only name the role. The
 * CA's private key is dropped once the three are signed: nothing can be added to the cluster later
 * without recreating it. EC P-256 keys: made in milliseconds and accepted by Python's ssl and Java.
 */
public final class ClusterCertificates {

    /**
     * Long enough for any cluster; a cluster outliving it must be recreated (Dask would refuse new
     * connections).
     */
    static final Duration VALIDITY = Duration.ofDays(365);

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterCertificates() {}

    /** New credentials for the cluster {@code clusterName}. */
    public static TlsCredentials generate(String clusterName) {
        try {
            Instant now = Instant.now();
            KeyPair caKeys = newKeys();
            X500Name caName = new X500Name("CN=dask-ca-" + clusterName);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder ca =
                    new JcaX509v3CertificateBuilder(
                                    caName,
                                    serial(),
                                    Date.from(now.minus(Duration.ofMinutes(5))),
                                    Date.from(now.plus(VALIDITY)),
                                    caName,
                                    caKeys.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                            .addExtension(
                                    Extension.keyUsage,
                                    true,
                                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                            .addExtension(
                                    Extension.subjectKeyIdentifier,
                                    false,
                                    extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCertificate = sign(ca, caKeys.getPrivate());
            Leaf scheduler = leaf("dask-scheduler", clusterName, caCertificate, caKeys, now);
            Leaf worker = leaf("dask-worker", clusterName, caCertificate, caKeys, now);
            Leaf client = leaf("dask-client", clusterName, caCertificate, caKeys, now);
            return new TlsCredentials(
                    pem(caCertificate),
                    scheduler.certificate,
                    scheduler.key,
                    worker.certificate,
                    worker.key,
                    client.certificate,
                    client.key);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(
                    "cannot make the TLS certificates of cluster " + clusterName, e);
        }
    }

    private record Leaf(String certificate, String key) {}

    /**
     * A certificate for both ends of a connection: Dask's scheduler and workers are servers to some
     * peers and clients of others, and Python's ssl checks the extended key usage of both.
     */
    private static Leaf leaf(
            String role, String clusterName, X509Certificate ca, KeyPair caKeys, Instant now)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = newKeys();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder =
                new JcaX509v3CertificateBuilder(
                                ca,
                                serial(),
                                Date.from(now.minus(Duration.ofMinutes(5))),
                                Date.from(now.plus(VALIDITY)),
                                new X500Name("CN=" + role + ",OU=" + clusterName),
                                keys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(
                                Extension.keyUsage,
                                true,
                                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                        .addExtension(
                                Extension.extendedKeyUsage,
                                false,
                                new ExtendedKeyUsage(
                                        new KeyPurposeId[] {
                                            KeyPurposeId.id_kp_serverAuth,
                                            KeyPurposeId.id_kp_clientAuth
                                        }))
                        .addExtension(
                                Extension.authorityKeyIdentifier,
                                false,
                                extensions.createAuthorityKeyIdentifier(ca));
        return new Leaf(pem(sign(builder, caKeys.getPrivate())), pkcs8Pem(keys.getPrivate()));
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** PKCS#8 ("BEGIN PRIVATE KEY"): read by OpenSSL, Python's ssl and the JDK alike. */
    private static String pkcs8Pem(PrivateKey key) throws IOException {
        return pem(new JcaPKCS8Generator(key, null));
    }
}
