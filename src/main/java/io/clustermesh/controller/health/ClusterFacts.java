package io.clustermesh.controller.health;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.mesh.MeshCertificate;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What health judges of one cluster beyond its view: the clustermesh-apiserver Deployment and
 * the certificates of the four TLS Secrets Cilium's chart defines (contract §3.2), as the overview
 * decoded them (once per refresh: the view shows the same certificates).
 */
record ClusterFacts(Optional<Deployment> apiserver, List<MeshCertificate> certificates, List<String> unreadable) {

    /** From what the cluster overview read and decoded; reads and decodes nothing itself. */
    static ClusterFacts of(Optional<Deployment> apiserver, MeshCertificate.Decoded decoded) {
        List<MeshCertificate> certificates = new ArrayList<>();
        for (String name : CiliumNames.TLS_SECRETS) {
            List<MeshCertificate> ofSecret = decoded.certificates().stream()
                    .filter(c -> c.secret().equals(name))
                    .toList();
            ofSecret.stream()
                    .filter(c -> c.key().equals(CiliumNames.TLS_CRT))
                    .findFirst()
                    .ifPresent(certificates::add);
            // Every Secret carries the same CA bundle; during a CA rotation it holds two CAs, and the one that
            // expires first is the one to watch.
            ofSecret.stream()
                    .filter(c -> c.key().equals(CiliumNames.CA_CRT))
                    .min(Comparator.comparing(c -> c.info().notAfter()))
                    .ifPresent(certificates::add);
        }
        return new ClusterFacts(apiserver, certificates, decoded.unreadable());
    }
}
