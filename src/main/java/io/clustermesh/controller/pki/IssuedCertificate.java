package io.clustermesh.controller.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate and its private key, as stored in a {@code kubernetes.io/tls} Secret
 * ({@code tls.crt}, {@code tls.key}; contract §3.5).
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {

    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    public String certificatePem() {
        return Pem.write(certificate);
    }

    /** PKCS#8 PEM; treat the result as a secret. */
    public String privateKeyPem() {
        return Pem.write(privateKey);
    }

    public String commonName() {
        return CertificateInfo.commonNameOf(certificate);
    }

    /** Never prints key material: records end up in logs and exception messages. */
    @Override
    public String toString() {
        return "IssuedCertificate[subject="
                + certificate.getSubjectX500Principal().getName() + ", serial="
                + certificate.getSerialNumber().toString(16) + ", privateKey=<redacted>]";
    }
}
