package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.support.ExternalCommand;
import io.clustermesh.controller.support.NatLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The homelab's clustermesh-apiserver etcd (a real etcd with our certificates) behind a real NAT
 * made of network namespaces and nft, probed by {@link ProbeCommand} running in the cloud
 * namespace — the same command a remote-side probe Pod runs.
 */
class NatReachabilityTest {
    private static final int ETCD_PORT = 2379;
    private static final int FORWARDED_PORT = 32379;
    private static final String HOMELAB_CONFIG =
            "{\"id\":1,\"capabilities\":{\"syncedCanaries\":true,\"maxConnectedClusters\":255}}";

    private static NatLab lab;
    private static Process etcd;
    private static Path dir;

    @BeforeAll
    static void buildTheHomeNetwork() throws IOException {
        ExternalCommand.requireBinary("/usr/bin/etcd", "etcd-server");
        ExternalCommand.requireBinary("/usr/bin/etcdctl", "etcd-client");
        lab = NatLab.start();
        dir = Files.createTempDirectory("nat-reachability-");
        CertificateAuthority ca = ClusterMeshCertificates.generateCa(Clock.systemUTC());
        write("ca.crt", ca.certificatePem());
        IssuedCertificate server =
                ca.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of(NatLab.HOME_IP)));
        write("server.crt", server.certificatePem());
        write("server.key", server.privateKeyPem());
        IssuedCertificate admin = ca.issue(ClusterMeshCertificates.admin("homelab"));
        write("admin.crt", admin.certificatePem());
        write("admin.key", admin.privateKeyPem());
        IssuedCertificate remote = ca.issue(ClusterMeshCertificates.remote());
        write("remote.crt", remote.certificatePem());
        write("remote.key", remote.privateKeyPem());
        startEtcdInTheHomelab();
    }

    /** The router as the home network has it: exactly the one port-forward to the etcd (a test may have removed it). */
    @BeforeEach
    void routerForwardsThePublicPortToTheEtcd() {
        lab.removePortForwards();
        lab.addPortForward(FORWARDED_PORT, ETCD_PORT);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (etcd != null) {
            etcd.destroy();
            try {
                if (!etcd.waitFor(5, TimeUnit.SECONDS)) {
                    etcd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                etcd.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (lab != null) {
            lab.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theForwardedEndpointAnswersFromTheCloudSideWithALatency() {
        ProbeOutcome outcome = probeFromCloud(NatLab.ROUTER_WAN_IP, FORWARDED_PORT, Duration.ofSeconds(5));

        assertThat(outcome.result()).as(describe(outcome)).isEqualTo(ProbeVerdict.OK);
        assertThat(outcome.latencyMs()).isPositive();
        assertThat(outcome.checks()).extracting(ReachabilityEntry.Check::name).containsExactly("tcp", "tls", "kvstore");
        assertThat(outcome.checks()).allSatisfy(c -> assertThat(c.result()).isEqualTo("ok"));
    }

    @Test
    void thePrivateAddressTimesOutFromTheCloudSide() {
        ProbeOutcome outcome = probeFromCloud(NatLab.HOME_IP, ETCD_PORT, Duration.ofSeconds(2));

        assertThat(outcome.result()).as(describe(outcome)).isEqualTo(ProbeVerdict.TIMEOUT);
        assertThat(outcome.detail()).contains("connecting to " + NatLab.HOME_IP);
    }

    @Test
    void withTheForwardRemovedTheProbeReportsTheForwardMissing() {
        lab.removePortForwards();

        ProbeOutcome outcome = probeFromCloud(NatLab.ROUTER_WAN_IP, FORWARDED_PORT, Duration.ofSeconds(3));
        FailureHints.Explanation why = FailureHints.explain(
                ReachabilityMode.PORT_FORWARD, outcome, "homelab", NatLab.ROUTER_WAN_IP + ":" + FORWARDED_PORT);

        assertThat(outcome.result()).as(describe(outcome)).isEqualTo(ProbeVerdict.REFUSED);
        assertThat(why.reason()).startsWith("forward missing on the router");
        assertThat(why.hint()).contains("port-forward on homelab's home router");
    }

    /** Runs the probe command inside the cloud namespace, as its own JVM on the test classpath. */
    private static ProbeOutcome probeFromCloud(String host, int port, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "-cp",
                System.getProperty("java.class.path"),
                ProbeCommand.class.getName(),
                "--host",
                host,
                "--port",
                Integer.toString(port),
                "--server-name",
                "homelab.mesh.cilium.io",
                "--cluster-name",
                "homelab",
                "--cluster-id",
                "1",
                "--ca",
                dir.resolve("ca.crt").toString(),
                "--cert",
                dir.resolve("remote.crt").toString(),
                "--key",
                dir.resolve("remote.key").toString(),
                "--timeout-ms",
                Long.toString(timeout.toMillis())));
        ExternalCommand.Result result = ExternalCommand.run(lab.exec(lab.cloud, command), null, Duration.ofSeconds(90));
        ProbeOutcome outcome = ProbeCommand.fromJson(result.stdout());
        if (outcome.result() == ProbeVerdict.FAILED && outcome.detail().startsWith("probe gave no result")) {
            fail("the probe command gave no result (exit " + result.exitCode() + "): " + result.stderr()
                    + result.stdout());
        }
        return outcome;
    }

    private static void startEtcdInTheHomelab() throws IOException {
        String clientUrl = "https://" + NatLab.HOME_IP + ":" + ETCD_PORT;
        String peerUrl = "http://127.0.0.1:2380";
        etcd = new ProcessBuilder(lab.exec(
                        lab.home,
                        List.of(
                                "/usr/bin/etcd",
                                "--name=homelab",
                                "--data-dir=" + dir.resolve("data"),
                                "--listen-client-urls=" + clientUrl,
                                "--advertise-client-urls=" + clientUrl,
                                "--listen-peer-urls=" + peerUrl,
                                "--initial-advertise-peer-urls=" + peerUrl,
                                "--initial-cluster=homelab=" + peerUrl,
                                "--client-cert-auth",
                                "--trusted-ca-file=" + dir.resolve("ca.crt"),
                                "--cert-file=" + dir.resolve("server.crt"),
                                "--key-file=" + dir.resolve("server.key"))))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("etcd.log").toFile())
                .start();
        List<String> etcdctl = List.of(
                "/usr/bin/etcdctl",
                "--endpoints=" + clientUrl,
                "--dial-timeout=2s",
                "--cacert=" + dir.resolve("ca.crt"),
                "--cert=" + dir.resolve("admin.crt"),
                "--key=" + dir.resolve("admin.key"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!etcd.isAlive()) {
                fail("etcd in " + lab.home + " exited: " + Files.readString(dir.resolve("etcd.log")));
            }
            List<String> put = new ArrayList<>(etcdctl);
            put.addAll(List.of("put", "cilium/cluster-config/homelab", HOMELAB_CONFIG));
            ExternalCommand.Result result = ExternalCommand.run(lab.exec(lab.home, put), null, Duration.ofSeconds(10));
            if (result.exitCode() == 0) {
                return;
            }
            last = result.stderr();
            sleep(200);
        }
        fail("etcd in " + lab.home + " not ready: " + last + "\n" + Files.readString(dir.resolve("etcd.log")));
    }

    private static String describe(ProbeOutcome outcome) {
        return outcome + "\nrouter ruleset:\n" + lab.ruleset();
    }

    private static void write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
