package io.clustermesh.controller.pki;

import io.clustermesh.controller.pki.CertificateProfile.ExtendedKeyUsage;
import io.clustermesh.controller.pki.CertificateProfile.KeyUsage;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one place a certificate is built. Every extension is written explicitly so that the result
 * does not depend on library defaults (contract §3.5 lists what Cilium's own generators set).
 */
final class CertificateSigner {
    /**
     * Backdating absorbs clock skew between this controller and the clusters: a certificate that
     * is "not yet valid" on a node is as broken as an expired one.
     */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateSigner() {}

    /**
     * New keys are ECDSA P-256. The chart's Helm method uses RSA 2048 (§3.5), but nothing in the
     * mesh depends on the key type: Go's crypto/tls (etcd, Cilium) and JSSE accept both, and
     * mixed chains (an RSA "Cilium CA" from the chart signing our EC leaves) verify fine. P-256
     * keys are generated in microseconds instead of tens of milliseconds, are smaller in Secrets,
     * and have the same ~128-bit security level as RSA 3072.
     */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no P-256 key generator", e);
        }
    }

    /** Random, positive, 128 bits: unpredictable serials as RFC 5280 §4.1.2.2 and CA/B rules ask. */
    static BigInteger newSerial() {
        return new BigInteger(128, RANDOM).setBit(127);
    }

    static X500Name subject(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    static X509Certificate sign(
            CertificateProfile profile,
            PublicKey subjectKey,
            X500Name issuer,
            PublicKey issuerKey,
            PrivateKey issuerPrivateKey,
            Clock clock) {
        Instant now = clock.instant();
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = now.plus(profile.validity());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    newSerial(),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject(profile.commonName()),
                    subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(profile.isCa()));
            builder.addExtension(Extension.keyUsage, true, keyUsage(profile));
            if (!profile.extendedKeyUsages().isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage(profile));
            }
            GeneralNames sans = subjectAltNames(profile);
            if (sans != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(issuerKey));
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(issuerPrivateKey))
                    .setProvider(BouncyCastle.PROVIDER)
                    .build(issuerPrivateKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign certificate for " + profile.commonName(), e);
        }
    }

    private static String signatureAlgorithm(PrivateKey issuerKey) {
        return issuerKey instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
    }

    private static org.bouncycastle.asn1.x509.KeyUsage keyUsage(CertificateProfile profile) {
        int bits = 0;
        for (KeyUsage usage : profile.keyUsages()) {
            bits |= switch (usage) {
                case DIGITAL_SIGNATURE -> org.bouncycastle.asn1.x509.KeyUsage.digitalSignature;
                case KEY_ENCIPHERMENT -> org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment;
                case KEY_CERT_SIGN -> org.bouncycastle.asn1.x509.KeyUsage.keyCertSign;
                case CRL_SIGN -> org.bouncycastle.asn1.x509.KeyUsage.cRLSign;
            };
        }
        return new org.bouncycastle.asn1.x509.KeyUsage(bits);
    }

    private static org.bouncycastle.asn1.x509.ExtendedKeyUsage extendedKeyUsage(CertificateProfile profile) {
        // Fixed order (server, client) so equal profiles give byte-identical extensions.
        List<KeyPurposeId> purposes = new ArrayList<>();
        if (profile.extendedKeyUsages().contains(ExtendedKeyUsage.SERVER_AUTH)) {
            purposes.add(KeyPurposeId.id_kp_serverAuth);
        }
        if (profile.extendedKeyUsages().contains(ExtendedKeyUsage.CLIENT_AUTH)) {
            purposes.add(KeyPurposeId.id_kp_clientAuth);
        }
        return new org.bouncycastle.asn1.x509.ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new));
    }

    private static GeneralNames subjectAltNames(CertificateProfile profile) {
        List<GeneralName> names = new ArrayList<>();
        profile.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        profile.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }
}
