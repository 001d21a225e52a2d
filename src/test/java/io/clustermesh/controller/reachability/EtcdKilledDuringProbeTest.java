package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.reachability.KvstoreProbe.Transport;
import io.clustermesh.controller.support.EtcdProcess;
import io.clustermesh.controller.support.ExternalCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault matrix, kvstore row: the clustermesh-apiserver's etcd (a real etcd process) dies while a
 * probe is talking to it. The probe must end with a precise, non-reachable result well inside its
 * budget instead of waiting for its deadline, and the next probe must say "refused".
 */
class EtcdKilledDuringProbeTest {
    private static final Duration BUDGET = Duration.ofSeconds(20);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void killedEtcdEndsTheProbeWithAReasonInsideItsBudget(Transport transport) throws Exception {
        CertificateAuthority ca = ClusterMeshCertificates.generateCa(Clock.systemUTC());
        IssuedCertificate remote = ca.issue(ClusterMeshCertificates.remote());
        try (NettyEventLoops loops = new NettyEventLoops(1);
                EtcdProcess etcd = EtcdProcess.start(
                        ca.certificatePem(),
                        ca.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of())),
                        ca.issue(ClusterMeshCertificates.admin("cloud")))) {
            etcd.put("cilium/cluster-config/cloud", "{\"id\":2,\"capabilities\":{\"maxConnectedClusters\":255}}");
            KvstoreProbeTarget target = new KvstoreProbeTarget(
                    "127.0.0.1",
                    etcd.port(),
                    null,
                    ca.certificatePem(),
                    remote.certificatePem(),
                    remote.privateKeyPem(),
                    "cloud",
                    2);
            KvstoreProbe probe = new KvstoreProbe(loops, transport);
            assertThat(probe.probe(target, BUDGET)).isInstanceOf(ProbeResult.Ok.class);

            // Frozen, etcd still completes TCP handshakes from its backlog but never answers: the
            // probe is then certainly in flight when the kill lands.
            signal("STOP", etcd.pid());
            CompletableFuture<ProbeResult> inFlight = probe.probeAsync(target, BUDGET);
            Thread.sleep(500);
            assertThat(inFlight).isNotDone();
            signal("KILL", etcd.pid());

            ProbeResult result = inFlight.get(BUDGET.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(result.reachable()).isFalse();
            assertThat(result)
                    .as("a dead etcd is reported as such, not as a timeout")
                    .isNotInstanceOf(ProbeResult.Timeout.class);
            assertThat(result.latency()).isLessThan(BUDGET);
            assertThat(probe.probe(target, BUDGET)).isInstanceOf(ProbeResult.Refused.class);
        }
    }

    private static void signal(String signal, long pid) {
        ExternalCommand.run(List.of("/bin/kill", "-" + signal, Long.toString(pid)));
    }
}
