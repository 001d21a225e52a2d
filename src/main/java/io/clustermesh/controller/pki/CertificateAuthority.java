package io.clustermesh.controller.pki;

import io.clustermesh.controller.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * A CA certificate with its key: the content of the {@code cilium-ca} Secret ({@code ca.crt},
 * {@code ca.key}; contract §3.5). Either generated here or loaded from an existing Secret, which
 * may have been written by the chart (RSA 2048) or cert-manager.
 */
public final class CertificateAuthority {
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.clock = clock;
    }

    /** A new self-signed CA; {@link ClusterMeshCertificates#ca()} gives Cilium's CN and validity. */
    public static CertificateAuthority generate(String commonName, Duration validity, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        CertificateProfile profile = ClusterMeshCertificates.caProfile(commonName, validity);
        KeyPair keys = CertificateSigner.newKeyPair();
        X500Name subject = CertificateSigner.subject(commonName);
        X509Certificate certificate =
                CertificateSigner.sign(profile, keys.getPublic(), subject, keys.getPublic(), keys.getPrivate(), clock);
        return new CertificateAuthority(certificate, keys.getPrivate(), clock);
    }

    /** Loads {@code ca.crt} / {@code ca.key}; issuing then uses the system clock. */
    public static CertificateAuthority load(String caCertPem, String caKeyPem) {
        return load(caCertPem, caKeyPem, Clock.systemUTC());
    }

    /**
     * Loads an existing CA. The first certificate of {@code caCertPem} is the CA (a bundle's other
     * entries are ignored); it must be a CA and match the key, otherwise every certificate issued
     * would be unverifiable.
     */
    public static CertificateAuthority load(String caCertPem, String caKeyPem, Clock clock) {
        X509Certificate certificate = Pem.parseCertificates(caCertPem, "caCert").get(0);
        PrivateKey key = Pem.parsePrivateKey(caKeyPem, "caKey");
        if (certificate.getBasicConstraints() < 0) {
            throw ProblemException.invalid(
                    "caCert",
                    "certificate " + certificate.getSubjectX500Principal().getName() + " is not a CA");
        }
        if (!keyMatches(key, certificate.getPublicKey())) {
            throw ProblemException.invalid("caKey", "the private key does not belong to the CA certificate");
        }
        return new CertificateAuthority(certificate, key, Objects.requireNonNull(clock, "clock"));
    }

    /** Issues a certificate with a fresh key pair for the profile, signed by this CA. */
    public IssuedCertificate issue(CertificateProfile profile) {
        KeyPair keys = CertificateSigner.newKeyPair();
        X509Certificate issued = CertificateSigner.sign(
                profile,
                keys.getPublic(),
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                certificate.getPublicKey(),
                privateKey,
                clock);
        return new IssuedCertificate(issued, keys.getPrivate());
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return Pem.write(certificate);
    }

    /** The CA key in PKCS#8 PEM, for the {@code ca.key} of {@code cilium-ca}; a secret. */
    public String privateKeyPem() {
        return Pem.write(privateKey);
    }

    public IssuedCertificate asIssuedCertificate() {
        return new IssuedCertificate(certificate, privateKey);
    }

    /** Hex SubjectKeyIdentifier; cilium-cli compares CAs by it (contract §6 item 5). */
    public String subjectKeyId() {
        return CaBundle.subjectKeyIdHex(certificate);
    }

    @Override
    public String toString() {
        return "CertificateAuthority[subject="
                + certificate.getSubjectX500Principal().getName() + ", skid=" + subjectKeyId()
                + ", privateKey=<redacted>]";
    }

    private static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
        String algorithm = key instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] challenge = "cilium-ca key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
