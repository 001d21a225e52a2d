package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.pki.CertificateInfo;
import io.clustermesh.controller.pki.PemCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One ClusterMesh certificate of a cluster, where it was found ({@code key} is the Secret key) and
 * what it is. The one certificate model: a cluster's Secrets are decoded into these once per
 * reading, and the cluster view, health, the metrics and the certificates API all use them.
 */
public record MeshCertificate(String cluster, String secret, String key, CertificateInfo info) {

    /** The certificates of a cluster's Secrets, and the entries that could not be read ({@code secret/key}). */
    public record Decoded(List<MeshCertificate> certificates, List<String> unreadable) {
        public Decoded {
            certificates = List.copyOf(certificates);
            unreadable = List.copyOf(unreadable);
        }
    }

    /**
     * The {@code tls.crt} of every Secret, and the CAs in the {@code ca.crt} of the server Secret
     * (what the clustermesh-apiserver trusts; every TLS Secret carries the same bundle) and of our
     * mesh CA Secret. Only certificates are decoded; private keys are never touched.
     */
    public static Decoded decode(String cluster, List<Secret> secrets, Clock clock) {
        List<MeshCertificate> certificates = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Secret secret : secrets) {
            String name = secret.getMetadata().getName();
            if (name.equals(CiliumNames.SERVER_CERT_SECRET) || name.equals(ApiServerObjects.MESH_CA_SECRET)) {
                decodeEntry(cluster, secret, CiliumNames.CA_CRT, clock, certificates, unreadable);
            }
            decodeEntry(cluster, secret, CiliumNames.TLS_CRT, clock, certificates, unreadable);
        }
        return new Decoded(certificates, unreadable);
    }

    private static void decodeEntry(
            String cluster,
            Secret secret,
            String key,
            Clock clock,
            List<MeshCertificate> certificates,
            List<String> unreadable) {
        String name = secret.getMetadata().getName();
        String pem;
        try {
            pem = ApiServerObjects.decode(secret, key);
        } catch (IllegalArgumentException e) {
            pem = "";
        }
        if (pem == null) {
            return;
        }
        try {
            PemCertificates.parse(pem, "certificate")
                    .forEach(c ->
                            certificates.add(new MeshCertificate(cluster, name, key, CertificateInfo.of(c, clock))));
        } catch (RuntimeException e) {
            unreadable.add(name + "/" + key);
        }
    }

    /** Our mesh CA, a CA the clustermesh-apiserver trusts, or the leaf a TLS Secret holds. */
    public String role() {
        if (CiliumNames.CA_CRT.equals(key)) {
            return ApiServerObjects.MESH_CA_SECRET.equals(secret) ? "ca" : "trusted-ca";
        }
        return switch (secret) {
            case CiliumNames.SERVER_CERT_SECRET -> "server";
            case CiliumNames.ADMIN_CERT_SECRET -> "admin";
            case CiliumNames.REMOTE_CERT_SECRET -> "remote";
            default -> "local";
        };
    }

    /** What the expiry calendar calls it. */
    public String what() {
        return (info.isCa() ? "CA " : "certificate ") + secret + "/" + key + " (CN=" + info.commonName() + ")";
    }
}
