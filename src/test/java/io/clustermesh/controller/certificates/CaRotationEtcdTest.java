package io.clustermesh.controller.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.pki.Pem;
import io.clustermesh.controller.reachability.KvstoreProbe;
import io.clustermesh.controller.reachability.KvstoreProbeTarget;
import io.clustermesh.controller.reachability.NettyEventLoops;
import io.clustermesh.controller.reachability.ProbeResult;
import io.clustermesh.controller.support.EtcdProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CA rotation with overlap, phase by phase, against a real etcd standing in for cloud's
 * clustermesh-apiserver (its etcd rebuilds from scratch on every restart, as the real one does):
 * the kvstore probe — what a remote cluster's kvstoremesh does — passes at every step, with the
 * client certificate issued by the old CA and with the one issued by the new CA while both are trusted.
 */
class CaRotationEtcdTest {
    private static final String CONFIG =
            "{\"id\":2,\"capabilities\":{\"syncedCanaries\":true,\"maxConnectedClusters\":255}}";
    private static NettyEventLoops loops;

    @BeforeAll
    static void loops() {
        loops = new NettyEventLoops(1);
    }

    @AfterAll
    static void close() {
        loops.close();
    }

    @Test
    void everyPhaseKeepsTheProbePassing() throws Exception {
        Clock clock = Clock.systemUTC();
        CertificateAuthority oldCa = ClusterMeshCertificates.generateCa(clock);
        CertificateAuthority newCa = ClusterMeshCertificates.generateCa(clock);
        IssuedCertificate server0 = oldCa.issue(
                ClusterMeshCertificates.server("kube-system", List.of("cloud.example.net"), List.of("203.0.113.10")));
        IssuedCertificate admin0 = oldCa.issue(ClusterMeshCertificates.admin("cloud"));
        IssuedCertificate remote0 = oldCa.issue(ClusterMeshCertificates.remote());

        try (EtcdProcess before = start(oldCa.certificatePem(), server0, admin0)) {
            assertOk(before, oldCa.certificatePem(), remote0);
        }

        List<CaRotation.Phase> phases = CaRotation.overlap(oldCa, null, newCa);
        assertThat(phases)
                .extracting(CaRotation.Phase::name)
                .containsExactly(
                        "trust the old and the new CA", "re-issue the certificates with the new CA", "drop the old CA");

        CaRotation.Phase trustBoth = phases.get(0);
        assertThat(trustBoth.signer()).isNull();
        assertThat(Pem.parseCertificates(trustBoth.trustPem())).hasSize(2);
        try (EtcdProcess etcd = start(trustBoth.trustPem(), server0, admin0)) {
            assertOk(etcd, trustBoth.trustPem(), remote0);
            // A remote whose entry is not updated yet still trusts only the old CA: still fine.
            assertOk(etcd, oldCa.certificatePem(), remote0);
        }

        CaRotation.Phase reissue = phases.get(1);
        IssuedCertificate server1 = CaRotation.reissue(reissue.signer(), server0.certificate(), true, "kube-system");
        IssuedCertificate admin1 = CaRotation.reissue(reissue.signer(), admin0.certificate(), false, "kube-system");
        IssuedCertificate remote1 = CaRotation.reissue(reissue.signer(), remote0.certificate(), false, "kube-system");
        assertThat(server1.certificate().getSubjectAlternativeNames())
                .containsExactlyInAnyOrderElementsOf(server0.certificate().getSubjectAlternativeNames());
        assertThat(remote1.commonName()).isEqualTo("remote");
        assertThat(admin1.commonName()).isEqualTo("admin-cloud");
        try (EtcdProcess etcd = start(reissue.trustPem(), server1, admin1)) {
            assertOk(etcd, reissue.trustPem(), remote0);
            assertOk(etcd, reissue.trustPem(), remote1);
        }

        CaRotation.Phase drop = phases.get(2);
        assertThat(Pem.parseCertificates(drop.trustPem())).hasSize(1);
        try (EtcdProcess etcd = start(drop.trustPem(), server1, admin1)) {
            assertOk(etcd, drop.trustPem(), remote1);
            // The old CA is really gone: its client certificate is refused now.
            assertThat(probe(etcd, drop.trustPem(), remote0)).isNotInstanceOf(ProbeResult.Ok.class);
        }
    }

    private static EtcdProcess start(String trust, IssuedCertificate server, IssuedCertificate admin) {
        EtcdProcess etcd = EtcdProcess.start(trust, server, admin);
        etcd.put("cilium/cluster-config/cloud", CONFIG);
        return etcd;
    }

    private static void assertOk(EtcdProcess etcd, String trust, IssuedCertificate client) {
        assertThat(probe(etcd, trust, client)).isInstanceOf(ProbeResult.Ok.class);
    }

    private static ProbeResult probe(EtcdProcess etcd, String trust, IssuedCertificate client) {
        var target = new KvstoreProbeTarget(
                "127.0.0.1", etcd.port(), null, trust, client.certificatePem(), client.privateKeyPem(), "cloud", 2);
        return new KvstoreProbe(loops).probe(target, Duration.ofSeconds(5));
    }
}
