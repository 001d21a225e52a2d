package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.CertificateProfile;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.reachability.KvstoreProbe.Transport;
import io.clustermesh.controller.support.EtcdProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The probe against a real etcd serving TLS with client-cert auth, with certificates from our PKI,
 * standing in for the clustermesh-apiserver of cluster {@code cloud} (id 2).
 */
class KvstoreProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Scheduling noise allowed past a deadline on a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofMillis(500);

    private static final String CLOUD_CONFIG =
            "{\"id\":2,\"capabilities\":{\"syncedCanaries\":true,\"maxConnectedClusters\":255}}";

    private static NettyEventLoops loops;
    private static CertificateAuthority ca;
    private static IssuedCertificate remote;
    private static EtcdProcess etcd;

    @BeforeAll
    static void startCloudEtcd() {
        loops = new NettyEventLoops(2);
        ca = ClusterMeshCertificates.generateCa(Clock.systemUTC());
        remote = ca.issue(ClusterMeshCertificates.remote());
        etcd = EtcdProcess.start(
                ca.certificatePem(),
                ca.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of())),
                ca.issue(ClusterMeshCertificates.admin("cloud")));
        etcd.put("cilium/cluster-config/cloud", CLOUD_CONFIG);
    }

    @AfterAll
    static void stopCloudEtcd() {
        if (etcd != null) {
            etcd.close();
        }
        if (loops != null) {
            loops.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeReportsOkWithClusterIdCapabilitiesAndLatency(Transport transport) {
        ProbeResult result = probe(transport, target("127.0.0.1", etcd.port(), null, "cloud", 2));

        assertThat(result).isInstanceOfSatisfying(ProbeResult.Ok.class, ok -> {
            assertThat(ok.clusterId()).isEqualTo(2);
            assertThat(ok.capabilities().syncedCanaries()).isTrue();
            assertThat(ok.capabilities().maxConnectedClusters()).isEqualTo(255);
            assertThat(ok.capabilities().cached()).isFalse();
            assertThat(ok.capabilities().serviceExportsEnabled()).isNull();
            assertThat(ok.latency()).isPositive().isLessThan(TIMEOUT);
        });
        assertThat(result.reachable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeVerifiesTheMeshNameWhenConnectingToAnIp(Transport transport) {
        ProbeResult result = probe(transport, target("127.0.0.1", etcd.port(), "cloud.mesh.cilium.io", "cloud", 2));

        assertThat(result).isInstanceOf(ProbeResult.Ok.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeResolvesTheMeshNameLikeAHostAlias(Transport transport) throws Exception {
        // Cilium dials https://cloud.mesh.cilium.io:<port> and a pod hostAlias maps it (§3.1, §5.3).
        KvstoreProbe probe = new KvstoreProbe(loops, transport, host -> {
            assertThat(host).isEqualTo("cloud.mesh.cilium.io");
            return InetAddress.getByName("127.0.0.1");
        });

        ProbeResult result = probe.probe(target("cloud.mesh.cilium.io", etcd.port(), null, "cloud", 2), TIMEOUT);

        assertThat(result).isInstanceOf(ProbeResult.Ok.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeReportsTlsErrorWhenTrustingAForeignCa(Transport transport) {
        CertificateAuthority foreign = ClusterMeshCertificates.generateCa(Clock.systemUTC());
        KvstoreProbeTarget target = new KvstoreProbeTarget(
                "127.0.0.1",
                etcd.port(),
                null,
                foreign.certificatePem(),
                remote.certificatePem(),
                remote.privateKeyPem(),
                "cloud",
                2);

        ProbeResult result = probe(transport, target);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.TlsError.class,
                        tls -> assertThat(tls.reason()).isEqualTo("certificate signed by unknown authority"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeReportsTlsErrorWhenServerNameIsNotInTheCertificate(Transport transport) {
        ProbeResult result = probe(transport, target("127.0.0.1", etcd.port(), "cloud-mesh.example.net", "cloud", 2));

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.TlsError.class,
                        tls -> assertThat(tls.reason())
                                .isEqualTo("certificate is not valid for cloud-mesh.example.net (hostname mismatch)"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeReportsTlsErrorWhenServerRejectsOurClientCertificate(Transport transport) {
        IssuedCertificate strangerCert =
                ClusterMeshCertificates.generateCa(Clock.systemUTC()).issue(ClusterMeshCertificates.remote());
        KvstoreProbeTarget target = new KvstoreProbeTarget(
                "127.0.0.1",
                etcd.port(),
                null,
                ca.certificatePem(),
                strangerCert.certificatePem(),
                strangerCert.privateKeyPem(),
                "cloud",
                2);

        ProbeResult result = probe(transport, target);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.TlsError.class,
                        tls -> assertThat(tls.reason()).startsWith("server rejected our client certificate"));
    }

    @Test
    void probeReportsTlsErrorWhenTheServerCertificateHasExpired() {
        // A CA made in 2020 that is still valid, whose 1095-day server cert expired in 2023.
        CertificateAuthority oldCa = CertificateAuthority.generate(
                "Cilium CA",
                Duration.ofDays(36500),
                Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC));
        IssuedCertificate expiredServer =
                oldCa.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of()));
        IssuedCertificate oldRemote = oldCa.issue(ClusterMeshCertificates.client("remote", Duration.ofDays(36500)));
        try (EtcdProcess expired = EtcdProcess.start(oldCa.certificatePem(), expiredServer, oldRemote)) {
            KvstoreProbeTarget target = new KvstoreProbeTarget(
                    "127.0.0.1",
                    expired.port(),
                    null,
                    oldCa.certificatePem(),
                    oldRemote.certificatePem(),
                    oldRemote.privateKeyPem(),
                    "cloud",
                    2);

            ProbeResult result = probe(Transport.GRPC, target);

            assertThat(result)
                    .isInstanceOfSatisfying(
                            ProbeResult.TlsError.class,
                            tls -> assertThat(tls.reason()).isEqualTo("server certificate has expired"));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeReportsWrongClusterWhenIdDiffers(Transport transport) {
        ProbeResult result = probe(transport, target("127.0.0.1", etcd.port(), null, "cloud", 3));

        assertThat(result).isInstanceOfSatisfying(ProbeResult.WrongCluster.class, wrong -> {
            assertThat(wrong.expectedName()).isEqualTo("cloud");
            assertThat(wrong.expectedId()).isEqualTo(3);
            assertThat(wrong.foundId()).hasValue(2);
            assertThat(wrong.reason()).isEqualTo("cilium/cluster-config/cloud has cluster id 2, expected 3");
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeReportsWrongClusterWhenTheExpectedNameHasNoConfig(Transport transport) {
        ProbeResult result = probe(transport, target("127.0.0.1", etcd.port(), null, "other", 2));

        assertThat(result).isInstanceOfSatisfying(ProbeResult.WrongCluster.class, wrong -> {
            assertThat(wrong.expectedName()).isEqualTo("other");
            assertThat(wrong.foundId()).isEmpty();
            assertThat(wrong.reason()).startsWith("no cilium/cluster-config/other");
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeReportsRefusedOnAClosedPort(Transport transport) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ProbeResult result = probe(transport, target("127.0.0.1", closedPort, null, "cloud", 2));

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.Refused.class,
                        refused -> assertThat(refused.address()).isEqualTo("127.0.0.1:" + closedPort));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeTimesOutWithinTheDeadlineAgainstABlackhole(Transport transport) throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket blackhole = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackhole.accept()); // accept, then never speak TLS
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Duration deadline = Duration.ofMillis(800);

            long start = System.nanoTime();
            ProbeResult result = new KvstoreProbe(loops, transport)
                    .probe(target("127.0.0.1", blackhole.getLocalPort(), null, "cloud", 2), deadline);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result).isInstanceOfSatisfying(ProbeResult.Timeout.class, timeout -> {
                assertThat(timeout.stage()).startsWith("TLS handshake with 127.0.0.1:");
                assertThat(timeout.latency()).isBetween(deadline, deadline.plus(SLACK));
            });
            assertThat(wall).isLessThan(deadline.plus(SLACK));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probeReportsUnresolvedHost(Transport transport) {
        KvstoreProbe probe = new KvstoreProbe(loops, transport, host -> {
            throw new UnknownHostException(host);
        });

        ProbeResult result = probe.probe(target("cloud-mesh.example.invalid", etcd.port(), null, "cloud", 2), TIMEOUT);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.Unresolved.class,
                        unresolved -> assertThat(unresolved.host()).isEqualTo("cloud-mesh.example.invalid"));
    }

    @Test
    void probeTimesOutWithinTheDeadlineWhenNameResolutionHangs() {
        KvstoreProbe probe = new KvstoreProbe(loops, Transport.GRPC, host -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        });
        Duration deadline = Duration.ofMillis(500);

        long start = System.nanoTime();
        ProbeResult result = probe.probe(target("cloud.mesh.cilium.io", etcd.port(), null, "cloud", 2), deadline);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(deadline.plus(SLACK));
        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.Timeout.class,
                        timeout -> assertThat(timeout.stage()).isEqualTo("resolving cloud.mesh.cilium.io"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void probesRunConcurrentlyOnTheSharedEventLoops(Transport transport) {
        KvstoreProbe probe = new KvstoreProbe(loops, transport);
        List<CompletableFuture<ProbeResult>> running = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            running.add(probe.probeAsync(target("127.0.0.1", etcd.port(), null, "cloud", 2), TIMEOUT));
        }

        assertThat(running).allSatisfy(future -> assertThat(future.join()).isInstanceOf(ProbeResult.Ok.class));
    }

    @Test
    void unreadableClientKeyIsRejectedBeforeConnecting() {
        KvstoreProbeTarget target = new KvstoreProbeTarget(
                "127.0.0.1", etcd.port(), null, ca.certificatePem(), remote.certificatePem(), "not a key", "cloud", 2);

        assertThatThrownBy(() -> new KvstoreProbe(loops).probe(target, TIMEOUT))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.field()).isEqualTo("clientKey"));
    }

    @Test
    void targetToStringHidesTheClientKey() {
        KvstoreProbeTarget target = target("127.0.0.1", etcd.port(), null, "cloud", 2);

        assertThat(target.toString()).contains("<redacted>").doesNotContain("PRIVATE KEY");
    }

    /**
     * Pins why our server cert also carries clientAuth (ClusterMeshCertificates): etcd's JSON
     * gateway presents the server cert to etcd's own gRPC port. gRPC is unaffected, so the default
     * transport works against cilium-certgen's serverAuth-only certs.
     */
    @Test
    void gatewayFailsWhenServerCertLacksClientAuthButGrpcWorks() {
        CertificateProfile standard = ClusterMeshCertificates.server("kube-system", List.of(), List.of());
        CertificateProfile certgenStyle = new CertificateProfile(
                standard.commonName(),
                standard.dnsNames(),
                standard.ipAddresses(),
                standard.keyUsages(),
                Set.of(CertificateProfile.ExtendedKeyUsage.SERVER_AUTH),
                standard.validity(),
                false);
        try (EtcdProcess serverAuthOnly = EtcdProcess.start(
                ca.certificatePem(), ca.issue(certgenStyle), ca.issue(ClusterMeshCertificates.admin("cloud")))) {
            KvstoreProbeTarget target = target("127.0.0.1", serverAuthOnly.port(), null, "cloud", 2);

            ProbeResult viaGateway = probe(Transport.JSON_GATEWAY, target);
            ProbeResult viaGrpc = probe(Transport.GRPC, target);

            assertThat(viaGateway)
                    .isInstanceOfSatisfying(
                            ProbeResult.Failed.class,
                            failed -> assertThat(failed.reason()).contains("may lack the clientAuth usage"));
            assertThat(viaGrpc)
                    .isInstanceOfSatisfying(
                            ProbeResult.WrongCluster.class,
                            wrong -> assertThat(wrong.reason()).startsWith("no cilium/cluster-config/cloud"));
        }
    }

    private static ProbeResult probe(Transport transport, KvstoreProbeTarget target) {
        return new KvstoreProbe(loops, transport).probe(target, TIMEOUT);
    }

    private static KvstoreProbeTarget target(String host, int port, String serverName, String name, int id) {
        return new KvstoreProbeTarget(
                host, port, serverName, ca.certificatePem(), remote.certificatePem(), remote.privateKeyPem(), name, id);
    }
}
