package io.clustermesh.controller.pki;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.pki.CertificateProfile.ExtendedKeyUsage;
import io.clustermesh.controller.pki.CertificateProfile.KeyUsage;
import io.clustermesh.controller.problems.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The certificates of a clustermesh-apiserver, as the chart's cronJob method (what cilium-cli
 * {@code enable} selects) generates them: contract §3.5. Leaves carry digitalSignature +
 * keyEncipherment; the server cert serverAuth, the client certs clientAuth. The etcd user of a
 * client is its CN (§3.6), so the CNs below decide what a client may read.
 */
public final class ClusterMeshCertificates {
    public static final String CA_COMMON_NAME = "Cilium CA";
    /** {@code tls.ca.certValidityDuration} and {@code tls.auto.certValidityDuration} defaults. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(1095);

    public static final String SERVER_COMMON_NAME = CiliumNames.APISERVER_SERVER_NAME;
    /** Matches {@code <cluster>.mesh.cilium.io}, the host remotes dial via hostAliases (§5.3). */
    public static final String MESH_WILDCARD = "*." + CiliumNames.MESH_DOMAIN;
    /** CN of the client cert every cluster presents in authMode legacy/migration. */
    public static final String LEGACY_REMOTE_COMMON_NAME = "remote";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Set<KeyUsage> LEAF_USAGES = Set.of(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_ENCIPHERMENT);
    private static final Set<KeyUsage> CA_USAGES =
            Set.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN, KeyUsage.DIGITAL_SIGNATURE);

    /**
     * The server cert carries clientAuth as well as serverAuth. cilium-certgen gives it serverAuth
     * only, but etcd's HTTP/JSON gateway (used by our kvstore probe, §9) dials etcd's own gRPC
     * port presenting the server cert as its client cert; with {@code --client-cert-auth} etcd
     * then rejects it ("bad certificate") unless the cert allows clientAuth. The Helm method sets
     * both (§3.5), so this is a shape Cilium already produces. Pinned by
     * {@code KvstoreProbeTest.gatewayFailsWhenServerCertLacksClientAuth}.
     */
    static final Set<ExtendedKeyUsage> SERVER_EXTENDED_USAGES =
            Set.of(ExtendedKeyUsage.SERVER_AUTH, ExtendedKeyUsage.CLIENT_AUTH);

    private ClusterMeshCertificates() {}

    /** A new {@code Cilium CA}, 1095 days. */
    public static CertificateAuthority generateCa(Clock clock) {
        return CertificateAuthority.generate(CA_COMMON_NAME, DEFAULT_VALIDITY, clock);
    }

    static CertificateProfile caProfile(String commonName, Duration validity) {
        return new CertificateProfile(commonName, List.of(), List.of(), CA_USAGES, Set.of(), validity, true);
    }

    /** {@code clustermesh-apiserver-server-cert} with the default validity. */
    public static CertificateProfile server(
            String namespace, List<String> extraDnsNames, List<String> extraIpAddresses) {
        return server(namespace, extraDnsNames, extraIpAddresses, DEFAULT_VALIDITY);
    }

    public static CertificateProfile server(
            String namespace, List<String> extraDnsNames, List<String> extraIpAddresses, Duration validity) {
        if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
            throw ProblemException.invalid(
                    "namespace", "a namespace is a DNS label (RFC 1123), got '" + namespace + "'");
        }
        List<String> dns = new ArrayList<>(
                List.of(SERVER_COMMON_NAME, MESH_WILDCARD, CiliumNames.APISERVER + "." + namespace + ".svc"));
        extraDnsNames.stream().filter(name -> !dns.contains(name)).forEach(dns::add);
        List<String> ips = new ArrayList<>(List.of("127.0.0.1", "::1"));
        extraIpAddresses.stream().filter(ip -> !ips.contains(ip)).forEach(ips::add);
        return new CertificateProfile(
                SERVER_COMMON_NAME, dns, ips, LEAF_USAGES, SERVER_EXTENDED_USAGES, validity, false);
    }

    /** {@code clustermesh-apiserver-admin-cert}: etcd user {@code admin-<cluster>}, role root. */
    public static CertificateProfile admin(String clusterName) {
        return client("admin-" + clusterName, DEFAULT_VALIDITY);
    }

    /** {@code clustermesh-apiserver-remote-cert} for authMode legacy/migration: CN {@code remote}. */
    public static CertificateProfile remote() {
        return client(LEGACY_REMOTE_COMMON_NAME, DEFAULT_VALIDITY);
    }

    /** {@code clustermesh-apiserver-remote-cert} for authMode cluster: CN {@code remote-<own name>}. */
    public static CertificateProfile remoteForCluster(String clusterName) {
        return client(LEGACY_REMOTE_COMMON_NAME + "-" + clusterName, DEFAULT_VALIDITY);
    }

    /** {@code clustermesh-apiserver-local-cert} (KVStoreMesh on): CN {@code local-<cluster>}. */
    public static CertificateProfile local(String clusterName) {
        return client("local-" + clusterName, DEFAULT_VALIDITY);
    }

    public static CertificateProfile client(String commonName, Duration validity) {
        return new CertificateProfile(
                commonName, List.of(), List.of(), LEAF_USAGES, Set.of(ExtendedKeyUsage.CLIENT_AUTH), validity, false);
    }
}
