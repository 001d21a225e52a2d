package io.clustermesh.controller.pki;

import io.clustermesh.controller.problems.ProblemException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates out of PEM text with the JDK alone, in a class that names no BouncyCastle type:
 * BouncyCastle's jars are signed, and the first class a cold JVM (the one-shot check) loads from
 * them costs it the verification of the whole jar. Blocks of other types are skipped, as PEM
 * readers do. {@link Pem} is the entry point for everything else.
 */
public final class PemCertificates {
    private static final Pattern CERTIFICATE_BLOCK =
            Pattern.compile("-----BEGIN (?:X509 )?CERTIFICATE-----([^-]*)-----END (?:X509 )?CERTIFICATE-----");
    private static final Pattern CERTIFICATE_BEGIN = Pattern.compile("-----BEGIN (?:X509 )?CERTIFICATE-----");

    private PemCertificates() {}

    /** Every certificate in the text, in order; fails if there is none or a block is cut short. */
    public static List<X509Certificate> parse(String pem, String field) {
        if (pem == null || pem.isBlank()) {
            throw ProblemException.invalid(field, "no PEM certificate given");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Matcher block = CERTIFICATE_BLOCK.matcher(pem);
            while (block.find()) {
                byte[] der = Base64.getMimeDecoder().decode(block.group(1));
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | RuntimeException e) {
            throw ProblemException.invalid(
                    field, "unreadable PEM certificate: " + e.getClass().getSimpleName());
        }
        if (certificates.size() != CERTIFICATE_BEGIN.matcher(pem).results().count()) {
            throw ProblemException.invalid(field, "unreadable PEM certificate: a CERTIFICATE block has no end");
        }
        if (certificates.isEmpty()) {
            throw ProblemException.invalid(field, "no CERTIFICATE block in the PEM text");
        }
        return List.copyOf(certificates);
    }
}
