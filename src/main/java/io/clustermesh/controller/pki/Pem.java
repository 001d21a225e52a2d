package io.clustermesh.controller.pki;

import io.clustermesh.controller.problems.ProblemException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM in and out. Secrets hold PEM text (contract §3.5, §5.2); a {@code ca.crt} may be a bundle of
 * several CAs (§5.4), so certificate parsing always returns a list.
 *
 * <p>Keys and certificates are converted with the JVM's default providers (SunEC, SunRsaSign), not
 * BouncyCastle, so JSSE and Netty accept them without a registered BC provider.
 */
public final class Pem {
    private Pem() {}

    /** Every certificate in the text, in order; fails if there is none. */
    public static List<X509Certificate> parseCertificates(String pem) {
        return parseCertificates(pem, "certificate");
    }

    public static List<X509Certificate> parseCertificates(String pem, String field) {
        return PemCertificates.parse(pem, field);
    }

    /** The first certificate of the text (a leaf {@code tls.crt} holds exactly one in practice). */
    public static X509Certificate parseCertificate(String pem) {
        return parseCertificates(pem).get(0);
    }

    public static PrivateKey parsePrivateKey(String pem) {
        return parsePrivateKey(pem, "privateKey");
    }

    /**
     * Accepts PKCS#8 ({@code PRIVATE KEY}) and the traditional {@code RSA PRIVATE KEY} /
     * {@code EC PRIVATE KEY} forms: Helm's {@code genCA} writes PKCS#1 RSA keys (§3.5).
     * Error messages never echo the input.
     */
    public static PrivateKey parsePrivateKey(String pem, String field) {
        if (pem == null || pem.isBlank()) {
            throw ProblemException.invalid(field, "no PEM private key given");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw ProblemException.invalid(
                    field, "unreadable PEM private key: " + e.getClass().getSimpleName());
        }
        throw ProblemException.invalid(field, "no unencrypted PRIVATE KEY block in the PEM text");
    }

    /** PEM of certificates, keys (PKCS#8 for private keys) or any object JcaPEMWriter knows. */
    public static String write(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                if (object instanceof PrivateKey key) {
                    // JcaPEMWriter alone would write the traditional RSA/EC form; PKCS#8 is what
                    // Netty, Go and openssl all read.
                    writer.writeObject(new JcaPKCS8Generator(key, null));
                } else {
                    writer.writeObject(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PEM", e);
        }
        return out.toString();
    }

    public static String write(List<X509Certificate> certificates) {
        return write(certificates.toArray());
    }
}
