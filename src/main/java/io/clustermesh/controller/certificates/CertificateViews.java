package io.clustermesh.controller.certificates;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.pki.CertificateInfo;
import io.clustermesh.controller.pki.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads one cluster's ClusterMesh certificates into {@link CertificateService.CertificatesView}. */
final class CertificateViews {
    private final String namespace;
    private final Duration threshold;
    private final Clock clock;

    CertificateViews(String namespace, Duration threshold, Clock clock) {
        this.namespace = namespace;
        this.threshold = threshold;
        this.clock = clock;
    }

    CertificateService.CertificatesView view(ManagedCluster cluster) {
        ClusterGateway gw = cluster.gateway();
        List<CertificateService.CertificateView> certificates = new ArrayList<>();
        gw.secret(namespace, ApiServerObjects.MESH_CA_SECRET)
                .map(s -> ApiServerObjects.decode(s, CiliumNames.CA_CRT))
                .ifPresent(pem ->
                        certificates.add(describe(ApiServerObjects.MESH_CA_SECRET, "ca", Pem.parseCertificate(pem))));
        List<CertificateService.CertificateView> trust = new ArrayList<>();
        for (String name : CiliumNames.TLS_SECRETS) {
            Optional<Secret> secret = gw.secret(namespace, name);
            if (secret.isEmpty()) {
                continue;
            }
            String cert = ApiServerObjects.decode(secret.get(), CiliumNames.TLS_CRT);
            if (cert != null) {
                certificates.add(describe(name, role(name), Pem.parseCertificate(cert)));
            }
            String ca = ApiServerObjects.decode(secret.get(), CiliumNames.CA_CRT);
            if (name.equals(CiliumNames.SERVER_CERT_SECRET) && ca != null) {
                Pem.parseCertificates(ca)
                        .forEach(c -> trust.add(describe(name + "/" + CiliumNames.CA_CRT, "trusted-ca", c)));
            }
        }
        return new CertificateService.CertificatesView(
                cluster.name(), cluster.simulated(), threshold.toDays(), certificates, trust);
    }

    private CertificateService.CertificateView describe(String secret, String role, X509Certificate certificate) {
        CertificateInfo info = CertificateInfo.of(certificate, clock);
        boolean due = Duration.between(clock.instant(), info.notAfter()).compareTo(threshold) < 0;
        return new CertificateService.CertificateView(
                secret,
                role,
                info.subject(),
                info.commonName(),
                info.issuer(),
                info.dnsNames(),
                info.ipAddresses(),
                info.notBefore(),
                info.notAfter(),
                info.daysLeft(),
                due,
                info.sha256Fingerprint());
    }

    private static String role(String secret) {
        return switch (secret) {
            case CiliumNames.SERVER_CERT_SECRET -> "server";
            case CiliumNames.ADMIN_CERT_SECRET -> "admin";
            case CiliumNames.REMOTE_CERT_SECRET -> "remote";
            default -> "local";
        };
    }
}
