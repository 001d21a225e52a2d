package io.clustermesh.controller.pki;

import io.clustermesh.controller.problems.ProblemException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trust bundle of several CAs, for clusters whose {@code cilium-ca} differ: cilium-cli ≥ 0.19.7
 * appends the remote CA to {@code tls.caBundle.content} (contract §5.4). CAs are identified by
 * SubjectKeyIdentifier, as cilium-cli does when it compares CAs (§6 item 5), so re-adding a CA
 * (even re-encoded) does not grow the bundle.
 */
public final class CaBundle {
    private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    private static final int DER_OCTET_STRING = 0x04;
    private static final int DER_BIT_STRING = 0x03;
    private static final int DER_SEQUENCE = 0x30;

    private CaBundle() {}

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
                    throw ProblemException.invalid(
                            "caBundle",
                            "not a CA certificate: "
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
        byte[] extension = certificate.getExtensionValue(SUBJECT_KEY_IDENTIFIER);
        try {
            if (extension != null) {
                // extnValue is an OCTET STRING wrapping the KeyIdentifier, itself an OCTET STRING.
                int[] wrapper = derContents(extension, 0, DER_OCTET_STRING);
                int[] keyId = derContents(extension, wrapper[0], DER_OCTET_STRING);
                return HexFormat.of().formatHex(Arrays.copyOfRange(extension, keyId[0], keyId[1]));
            }
            // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
            byte[] info = certificate.getPublicKey().getEncoded();
            int[] sequence = derContents(info, 0, DER_SEQUENCE);
            int[] algorithm = derContents(info, sequence[0], DER_SEQUENCE);
            int[] bits = derContents(info, algorithm[1], DER_BIT_STRING);
            // The first content byte of a BIT STRING counts its unused bits; the key is the rest.
            byte[] key = Arrays.copyOfRange(info, bits[0] + 1, bits[1]);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1 digest available", e);
        }
    }

    /**
     * Start and end of the contents of the DER element at {@code offset}, which must carry
     * {@code tag}. Read with the JDK alone, so that certificate facts (the one-shot check) never
     * load BouncyCastle, whose signed jars a cold JVM verifies before the first class.
     */
    private static int[] derContents(byte[] der, int offset, int tag) {
        if (offset + 1 >= der.length || (der[offset] & 0xff) != tag) {
            throw new IllegalArgumentException("unexpected DER element at " + offset);
        }
        int first = der[offset + 1] & 0xff;
        int start = offset + 2;
        int length = first;
        if (first >= 0x80) {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 3 || start + octets > der.length) {
                throw new IllegalArgumentException("unsupported DER length at " + offset);
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[start + i] & 0xff);
            }
            start += octets;
        }
        if (start + length > der.length) {
            throw new IllegalArgumentException("DER element at " + offset + " runs past the end");
        }
        return new int[] {start, start + length};
    }
}
