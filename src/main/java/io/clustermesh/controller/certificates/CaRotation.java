package io.clustermesh.controller.certificates;

import io.clustermesh.controller.pki.CaBundle;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.CertificateProfile;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.pki.Pem;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The order that keeps every link up while a cluster's mesh CA changes: first everybody trusts
 * old and new CA, then the leaves are re-issued by the new CA (old and new client certificates both
 * verify meanwhile), then the old CA is dropped. Each phase is what one step writes.
 */
final class CaRotation {
    private CaRotation() {}

    /**
     * @param signer   re-issue the leaves with this CA; null keeps the current leaves and changes only their trust
     * @param trustPem what the cluster's etcd and its remotes trust ({@code ca.crt}, {@code <name>.etcd-client-ca.crt})
     */
    record Phase(String name, CertificateAuthority signer, String trustPem) {}

    /**
     * CA rotation with overlap: three phases. Whatever is trusted now stays trusted until every
     * leaf is re-issued, so a rotation that stopped half-way and is run again (with yet another
     * new CA) never drops the CA that some leaf still comes from.
     */
    static List<Phase> overlap(CertificateAuthority oldCa, String currentTrustPem, CertificateAuthority newCa) {
        String both = currentTrustPem == null
                ? CaBundle.combine(oldCa.certificatePem(), newCa.certificatePem())
                : CaBundle.combine(oldCa.certificatePem(), currentTrustPem, newCa.certificatePem());
        return List.of(
                new Phase("trust the old and the new CA", null, both),
                new Phase("re-issue the certificates with the new CA", newCa, both),
                new Phase("drop the old CA", null, newCa.certificatePem()));
    }

    /** Leaves only: one phase, same CA, same trust. */
    static List<Phase> leavesOnly(CertificateAuthority ca, String currentTrustPem) {
        return List.of(new Phase(
                "re-issue the certificates", ca, currentTrustPem == null ? ca.certificatePem() : currentTrustPem));
    }

    /**
     * A new leaf like {@code current}: same common name and SANs, so every client that accepted the
     * old one accepts the new one; server certificates keep serverAuth+clientAuth (see
     * {@link ClusterMeshCertificates#server}).
     */
    static IssuedCertificate reissue(
            CertificateAuthority ca, X509Certificate current, boolean server, String namespace) {
        String commonName = commonName(current);
        CertificateProfile profile;
        if (server) {
            List<String> dns = new ArrayList<>();
            List<String> ips = new ArrayList<>();
            try {
                if (current.getSubjectAlternativeNames() != null) {
                    for (List<?> san : current.getSubjectAlternativeNames()) {
                        String value = String.valueOf(san.get(1));
                        if ((Integer) san.get(0) == 2) {
                            dns.add(value);
                        } else if (!isLoopback(value)) {
                            ips.add(value);
                        }
                    }
                }
            } catch (CertificateParsingException e) {
                throw new IllegalArgumentException("unreadable subjectAltName", e);
            }
            profile = ClusterMeshCertificates.server(namespace, dns, ips);
        } else {
            profile = ClusterMeshCertificates.client(commonName, ClusterMeshCertificates.DEFAULT_VALIDITY);
        }
        return ca.issue(profile);
    }

    /** The server profile always adds 127.0.0.1 and ::1; Java prints the latter expanded, so compare as addresses. */
    private static boolean isLoopback(String ipLiteral) {
        try {
            return java.net.InetAddress.getByName(ipLiteral).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static X509Certificate parse(String pem) {
        return Pem.parseCertificate(pem);
    }

    private static String commonName(X509Certificate certificate) {
        for (String part : certificate.getSubjectX500Principal().getName().split(",")) {
            if (part.trim().startsWith("CN=")) {
                return part.trim().substring(3);
            }
        }
        return "";
    }
}
