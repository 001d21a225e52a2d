package io.clustermesh.controller.pki;

import io.clustermesh.controller.problems.ProblemException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509ExtensionUtils;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

/**
 * A trust bundle of several CAs, for clusters whose {@code cilium-ca} differ: cilium-cli ≥ 0.19.7
 * appends the remote CA to {@code tls.caBundle.content} (contract §5.4). CAs are identified by
 * SubjectKeyIdentifier, as cilium-cli does when it compares CAs (§6 item 5), so re-adding a CA
 * (even re-encoded) does not grow the bundle.
 */
public final class CaBundle {
    private CaBundle() {
    }

    /** The CAs of all inputs, first occurrence wins, in input order, as one PEM text. */
    public static String combine(List<String> caPems) {
        return Pem.write(combineCertificates(caPems));
    }

    public static String combine(String... caPems) {
        return combine(List.of(caPems));
    }

    public static List<X509Certificate> combineCertificates(List<String> caPems) {
        Map<String, X509Certificate> bySkid = new LinkedHashMap<>();
        for (String pem : caPems) {
            for (X509Certificate certificate : Pem.parseCertificates(pem, "caBundle")) {
                if (certificate.getBasicConstraints() < 0) {
                    throw ProblemException.invalid("caBundle", "not a CA certificate: "
                            + certificate.getSubjectX500Principal().getName());
                }
                bySkid.putIfAbsent(subjectKeyIdHex(certificate), certificate);
            }
        }
        if (bySkid.isEmpty()) {
            throw ProblemException.invalid("caBundle", "no CA certificate given");
        }
        return new ArrayList<>(bySkid.values());
    }

    /**
     * Lower-case hex of the SubjectKeyIdentifier extension; for a certificate without one, the
     * RFC 5280 §4.2.1.2 method-1 value (SHA-1 of the public key bits), which is what most
     * generators write, so equal keys still compare equal.
     */
    public static String subjectKeyIdHex(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            byte[] inner = ASN1OctetString.getInstance(extension).getOctets();
            return HexFormat.of().formatHex(SubjectKeyIdentifier.getInstance(inner).getKeyIdentifier());
        }
        try {
            DigestCalculator sha1 = new BcDigestCalculatorProvider()
                    .get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1));
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
            return HexFormat.of().formatHex(new X509ExtensionUtils(sha1).createSubjectKeyIdentifier(info).getKeyIdentifier());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no SHA-1 digest available", e);
        }
    }
}
