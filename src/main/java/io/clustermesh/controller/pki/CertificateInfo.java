package io.clustermesh.controller.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What an operator wants to see about a certificate (status pages, expiry warnings), with no key
 * material. {@link #sha256Fingerprint} uses openssl's {@code AB:CD:...} form so it can be compared
 * with {@code openssl x509 -fingerprint -sha256} output by eye.
 */
public record CertificateInfo(
        String subject,
        String commonName,
        String issuer,
        List<String> dnsNames,
        List<String> ipAddresses,
        Instant notBefore,
        Instant notAfter,
        String serialHex,
        String sha256Fingerprint,
        String subjectKeyId,
        boolean isCa,
        Instant observedAt) {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    public CertificateInfo {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    /** {@code clock} stamps {@link #observedAt}, the instant {@link #daysLeft()} refers to. */
    public static CertificateInfo of(X509Certificate certificate, Clock clock) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == SAN_DNS) {
                        dns.add((String) san.get(1));
                    } else if (type == SAN_IP) {
                        ips.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subjectAltName extension", e);
        }
        return new CertificateInfo(
                certificate.getSubjectX500Principal().getName(),
                commonNameOf(certificate),
                certificate.getIssuerX500Principal().getName(),
                dns,
                ips,
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                certificate.getSerialNumber().toString(16),
                sha256Fingerprint(certificate),
                CaBundle.subjectKeyIdHex(certificate),
                certificate.getBasicConstraints() >= 0,
                clock.instant());
    }

    /**
     * Whole days until {@code notAfter}, rounded down; 0 on the last day, negative once expired
     * (−1 during the first day after expiry).
     */
    public long daysLeft(Clock clock) {
        Duration left = Duration.between(clock.instant(), notAfter);
        return Math.floorDiv(left.getSeconds(), Duration.ofDays(1).getSeconds());
    }

    /** Days left as seen at {@link #observedAt}; what a status page shows. */
    public long daysLeft() {
        return daysLeft(Clock.fixed(observedAt, ZoneOffset.UTC));
    }

    public boolean isExpired(Clock clock) {
        return clock.instant().isAfter(notAfter);
    }

    static String commonNameOf(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return "";
        } catch (InvalidNameException e) {
            return "";
        }
    }

    static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }
}
