package io.clustermesh.controller.health;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.mesh.ClusterOverviewService;
import io.clustermesh.controller.pki.CertificateInfo;
import io.clustermesh.controller.pki.PemCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What health judges of one cluster beyond its view: the clustermesh-apiserver Deployment and
 * the certificates of the four TLS Secrets Cilium's chart defines (contract §3.2), as the overview
 * read them. Only the {@code tls.crt} and {@code ca.crt} entries are decoded; private keys are
 * never touched.
 */
record ClusterFacts(Optional<Deployment> apiserver, List<MeshCertificate> certificates, List<String> unreadable) {

    /** From what the cluster overview read ({@code tlsSecrets} in any order); reads nothing itself. */
    static ClusterFacts of(String cluster, Optional<Deployment> apiserver, List<Secret> tlsSecrets, Clock clock) {
        List<MeshCertificate> certificates = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String name : ClusterOverviewService.TLS_SECRETS) {
            Optional<Secret> secret = tlsSecrets.stream()
                    .filter(s -> name.equals(s.getMetadata().getName()))
                    .findFirst();
            if (secret.isEmpty()) {
                continue;
            }
            entry(secret.get(), CiliumNames.TLS_CRT)
                    .ifPresent(pem -> parse(pem, name, CiliumNames.TLS_CRT, unreadable).stream()
                            .findFirst()
                            .ifPresent(c -> certificates.add(new MeshCertificate(
                                    cluster, name, CiliumNames.TLS_CRT, CertificateInfo.of(c, clock)))));
            if (name.equals(CiliumNames.SERVER_CERT_SECRET)) {
                // Every Secret carries the same CA bundle; during a CA rotation it holds two CAs,
                // and the one that expires first is the one to watch.
                entry(secret.get(), CiliumNames.CA_CRT)
                        .flatMap(pem -> parse(pem, name, CiliumNames.CA_CRT, unreadable).stream()
                                .min(Comparator.comparing(X509Certificate::getNotAfter)))
                        .ifPresent(c -> certificates.add(
                                new MeshCertificate(cluster, name, CiliumNames.CA_CRT, CertificateInfo.of(c, clock))));
            }
        }
        return new ClusterFacts(apiserver, certificates, unreadable);
    }

    private static Optional<String> entry(Secret secret, String key) {
        String value = secret.getData() == null ? null : secret.getData().get(key);
        return Optional.ofNullable(value)
                .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.US_ASCII));
    }

    private static List<X509Certificate> parse(String pem, String secret, String key, List<String> unreadable) {
        try {
            return PemCertificates.parse(pem, "certificate");
        } catch (RuntimeException e) {
            unreadable.add(secret + "/" + key);
            return List.of();
        }
    }
}
