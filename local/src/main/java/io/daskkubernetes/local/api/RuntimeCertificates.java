package io.daskkubernetes.local.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one runtime and the API server's certificate it signs (for
 * 127.0.0.1 and localhost), so that clients given the CA in the kubeconfig know they talk to this
 * runtime and nobody else on the machine. EC P-256 keys: made in milliseconds, and accepted by Go
 * (kubectl), Java and Python clients. Nothing is written to disk: the CA's private key is dropped
 * once the server's certificate is signed.
 */
final class RuntimeCertificates {

    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate authority;
    private final X509Certificate server;
    private final KeyPair serverKeys;

    private RuntimeCertificates(
            X509Certificate authority, X509Certificate server, KeyPair serverKeys) {
        this.authority = authority;
        this.server = server;
        this.serverKeys = serverKeys;
    }

    /** A new CA, and a server certificate for {@code ipAddress} (and localhost) signed by it. */
    static RuntimeCertificates generate(String ipAddress) {
        return generate(List.of(ipAddress), List.of("localhost"));
    }

    /**
     * A new CA, and a server certificate for these addresses and DNS names signed by it (the API
     * server is reached at its loopback address from the host, and at the node's address, the
     * {@code kubernetes} Service's cluster IP and its names from pods).
     */
    static RuntimeCertificates generate(List<String> ipAddresses, List<String> dnsNames) {
        try {
            KeyPair authorityKeys = newKeys();
            X500Name authorityName = new X500Name("CN=dask-local-kubernetes-ca");
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder authorityBuilder =
                    new JcaX509v3CertificateBuilder(
                                    authorityName,
                                    serial(),
                                    Date.from(now.minus(Duration.ofMinutes(5))),
                                    Date.from(now.plus(VALIDITY)),
                                    authorityName,
                                    authorityKeys.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                            .addExtension(
                                    Extension.keyUsage,
                                    true,
                                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                            .addExtension(
                                    Extension.subjectKeyIdentifier,
                                    false,
                                    extensions.createSubjectKeyIdentifier(
                                            authorityKeys.getPublic()));
            X509Certificate authority = sign(authorityBuilder, authorityKeys);

            KeyPair serverKeys = newKeys();
            X509v3CertificateBuilder serverBuilder =
                    new JcaX509v3CertificateBuilder(
                                    authority,
                                    serial(),
                                    Date.from(now.minus(Duration.ofMinutes(5))),
                                    Date.from(now.plus(VALIDITY)),
                                    new X500Name("CN=kube-apiserver"),
                                    serverKeys.getPublic())
                            .addExtension(
                                    Extension.basicConstraints, true, new BasicConstraints(false))
                            .addExtension(
                                    Extension.keyUsage,
                                    true,
                                    new KeyUsage(KeyUsage.digitalSignature))
                            .addExtension(
                                    Extension.extendedKeyUsage,
                                    false,
                                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                            .addExtension(
                                    Extension.subjectAlternativeName,
                                    false,
                                    new GeneralNames(
                                            subjectAlternativeNames(ipAddresses, dnsNames)))
                            .addExtension(
                                    Extension.authorityKeyIdentifier,
                                    false,
                                    extensions.createAuthorityKeyIdentifier(authority));
            X509Certificate server = sign(serverBuilder, authorityKeys);
            return new RuntimeCertificates(authority, server, serverKeys);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make the runtime's certificates", e);
        }
    }

    private static GeneralName[] subjectAlternativeNames(
            List<String> ipAddresses, List<String> dnsNames) {
        java.util.List<GeneralName> names = new java.util.ArrayList<>();
        ipAddresses.stream()
                .distinct()
                .forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        dnsNames.stream()
                .distinct()
                .forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        return names.toArray(GeneralName[]::new);
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner =
                new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    /** The CA's certificate in PEM, for kubeconfig's certificate-authority-data. */
    String authorityPem() {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(authority);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The server's key and certificate chain as a PKCS#12 store protected by {@code password}. */
    byte[] serverKeyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    "server",
                    serverKeys.getPrivate(),
                    password,
                    new Certificate[] {server, authority});
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            return bytes.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot store the API server's key", e);
        }
    }
}
