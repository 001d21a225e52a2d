package io.clustermesh.controller.certificates;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.mesh.MeshCertificate;
import io.clustermesh.controller.pki.CertificateInfo;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        List<Secret> secrets = new ArrayList<>();
        gw.secret(namespace, ApiServerObjects.MESH_CA_SECRET).ifPresent(secrets::add);
        CiliumNames.TLS_SECRETS.forEach(name -> gw.secret(namespace, name).ifPresent(secrets::add));
        // Unreadable entries are left out here; the cluster's health check names them.
        var decoded = MeshCertificate.decode(cluster.name(), secrets, clock);
        List<CertificateService.CertificateView> certificates = new ArrayList<>();
        List<CertificateService.CertificateView> trust = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (MeshCertificate certificate : decoded.certificates()) {
            if (certificate.role().equals("trusted-ca")) {
                trust.add(describe(certificate, certificate.secret() + "/" + certificate.key()));
            } else if (listed.add(certificate.secret())) {
                // The leaf (or our CA) is the first certificate of its entry; what follows is its chain.
                certificates.add(describe(certificate, certificate.secret()));
            }
        }
        return new CertificateService.CertificatesView(
                cluster.name(), cluster.simulated(), threshold.toDays(), certificates, trust);
    }

    /** Inside the rotation threshold: the scheduler rotates it. */
    private boolean due(MeshCertificate certificate) {
        return Duration.between(clock.instant(), certificate.info().notAfter()).compareTo(threshold) < 0;
    }

    private CertificateService.CertificateView describe(MeshCertificate certificate, String where) {
        CertificateInfo info = certificate.info();
        return new CertificateService.CertificateView(
                where,
                certificate.role(),
                info.subject(),
                info.commonName(),
                info.issuer(),
                info.dnsNames(),
                info.ipAddresses(),
                info.notBefore(),
                info.notAfter(),
                info.daysLeft(),
                due(certificate),
                info.sha256Fingerprint());
    }
}
