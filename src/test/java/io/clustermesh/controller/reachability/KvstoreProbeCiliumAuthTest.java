package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.CertificateProfile;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.reachability.KvstoreProbe.Transport;
import io.clustermesh.controller.support.EtcdProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probe against an etcd with auth on and the users and roles Cilium's etcdinit creates (§3.6):
 * the etcd user is the client cert's CN, and {@code remote} may read only the serving cluster's
 * own cluster-config key.
 */
class KvstoreProbeCiliumAuthTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static NettyEventLoops loops;
    private static CertificateAuthority ca;
    private static EtcdProcess etcd;

    @BeforeAll
    static void startCloudEtcdWithCiliumAuth() {
        loops = new NettyEventLoops(1);
        ca = ClusterMeshCertificates.generateCa(Clock.systemUTC());
        etcd = EtcdProcess.start(
                ca.certificatePem(),
                ca.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of())),
                ca.issue(ClusterMeshCertificates.admin("cloud")));
        etcd.put("cilium/cluster-config/cloud", "{\"id\":2,\"capabilities\":{\"maxConnectedClusters\":255}}");
        etcd.put("cilium/cluster-config/homelab", "{\"id\":1}");
        etcd.enableCiliumAuth("cloud");
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
        }
        if (loops != null) {
            loops.close();
        }
    }

    @Test
    void probeWithRemoteCertReadsTheServingClustersConfig() {
        ProbeResult result = grpcProbe(ClusterMeshCertificates.remote(), "cloud", 2);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.Ok.class, ok -> assertThat(ok.clusterId()).isEqualTo(2));
    }

    @Test
    void probeReportsWrongClusterWhenPermissionIsDeniedForTheExpectedName() {
        // The key exists, but the remote role may read only cloud's own key: the endpoint is not homelab.
        ProbeResult result = grpcProbe(ClusterMeshCertificates.remote(), "homelab", 1);

        assertThat(result).isInstanceOfSatisfying(ProbeResult.WrongCluster.class, wrong -> {
            assertThat(wrong.expectedName()).isEqualTo("homelab");
            assertThat(wrong.foundId()).isEmpty();
            assertThat(wrong.reason()).startsWith("permission denied reading cilium/cluster-config/homelab");
        });
    }

    @Test
    void probeWithACertNotKnownAsEtcdUserIsPermissionDenied() {
        // authMode cluster cert against a server still in legacy mode (§3.5): no user remote-homelab.
        ProbeResult result = grpcProbe(ClusterMeshCertificates.remoteForCluster("homelab"), "cloud", 2);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.WrongCluster.class,
                        wrong -> assertThat(wrong.reason()).contains("or uses another tls.authMode"));
    }

    @Test
    void defaultProbeWorksAgainstAnEtcdWithAuth() {
        IssuedCertificate remote = ca.issue(ClusterMeshCertificates.remote());

        ProbeResult result = new KvstoreProbe(loops).probe(target(remote, "cloud", 2), TIMEOUT);

        assertThat(result).isInstanceOf(ProbeResult.Ok.class);
    }

    @Test
    void gatewayTransportExplainsThatItCannotProbeAnEtcdWithAuth() {
        IssuedCertificate remote = ca.issue(ClusterMeshCertificates.remote());

        ProbeResult result = new KvstoreProbe(loops, Transport.JSON_GATEWAY).probe(target(remote, "cloud", 2), TIMEOUT);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.Failed.class,
                        failed -> assertThat(failed.reason())
                                .isEqualTo(
                                        "etcd has auth enabled and its JSON gateway ignores client certificates; probe with the gRPC transport"));
    }

    private static ProbeResult grpcProbe(CertificateProfile client, String name, int id) {
        return new KvstoreProbe(loops, Transport.GRPC).probe(target(ca.issue(client), name, id), TIMEOUT);
    }

    private static KvstoreProbeTarget target(IssuedCertificate client, String name, int id) {
        return new KvstoreProbeTarget(
                "127.0.0.1",
                etcd.port(),
                "cloud.mesh.cilium.io",
                ca.certificatePem(),
                client.certificatePem(),
                client.privateKeyPem(),
                name,
                id);
    }
}
