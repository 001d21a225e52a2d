package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.clustermesh.controller.cilium.WireguardDump;
import io.clustermesh.controller.mesh.DataPlaneLab;
import io.clustermesh.controller.support.ExternalCommand;
import io.clustermesh.controller.support.NatLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data plane through a real home-router NAT (issue 17 item 5): two homelab "nodes" behind one
 * router (network namespaces, nft masquerade), a cloud node on the router's WAN side, and real
 * WireGuard (wireguard-go) between them, the cloud dialling each homelab node the way Cilium
 * does: one through the router's UDP port-forward, the other on its private node IP. A forward
 * reaches one node, never both; the real {@code wg show <if> dump} goes through the same parser
 * and the same verdict the service uses for Cilium's peers. Root, iproute2, nft, wireguard-go and
 * wg are required: without them the test fails, it never skips.
 */
class NatDataPlaneTest {
    private static final String WG = "/usr/bin/wg";
    private static final String WIREGUARD_GO = "/usr/bin/wireguard-go";
    private static final int PORT = 51871;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String SUFFIX = HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
    /** wireguard-go's control sockets live in /var/run/wireguard for every namespace: the names must differ. */
    private static final String WG_HOME1 = "cmw" + SUFFIX + "a";

    private static final String WG_HOME2 = "cmw" + SUFFIX + "b";
    private static final String WG_CLOUD = "cmw" + SUFFIX + "c";

    private static NatLab lab;
    private static final List<Process> daemons = new ArrayList<>();
    private static Path keyDir;

    @BeforeAll
    static void buildLab() throws Exception {
        ExternalCommand.requireBinary(WG, "wireguard-tools");
        ExternalCommand.requireBinary(WIREGUARD_GO, "wireguard-go");
        lab = NatLab.start();
        keyDir = Files.createTempDirectory(
                "natdp-keys-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String home1 = up(lab.home, WG_HOME1, "10.99.0.1");
        String home2 = up(lab.home2, WG_HOME2, "10.99.0.2");
        String cloud = up(lab.cloud, WG_CLOUD, "10.99.0.3");
        // The homelab nodes know the cloud node but have no endpoint for it: they only answer.
        wg(lab.home, "set", WG_HOME1, "peer", cloud, "allowed-ips", "10.99.0.3/32");
        wg(lab.home2, "set", WG_HOME2, "peer", cloud, "allowed-ips", "10.99.0.3/32");
        // One UDP forward on the router, to the first node only: the second is dialled on its node IP, as Cilium does.
        // Like Cilium in tunnel mode, each peer also allows its node IP /32.
        lab.addUdpPortForward(PORT, NatLab.HOME_IP, PORT);
        wg(
                lab.cloud,
                "set",
                WG_CLOUD,
                "peer",
                home1,
                "allowed-ips",
                "10.99.0.1/32," + NatLab.HOME_IP + "/32",
                "endpoint",
                NatLab.ROUTER_WAN_IP + ":" + PORT,
                "persistent-keepalive",
                "1");
        wg(
                lab.cloud,
                "set",
                WG_CLOUD,
                "peer",
                home2,
                "allowed-ips",
                "10.99.0.2/32," + NatLab.HOME2_IP + "/32",
                "endpoint",
                NatLab.HOME2_IP + ":" + PORT,
                "persistent-keepalive",
                "1");
    }

    /** Starts wireguard-go in {@code ns} (foreground, our own process), gives it a fresh key and an address; returns the public key. */
    private static String up(String ns, String iface, String address) throws Exception {
        Process p = new ProcessBuilder(lab.exec(ns, List.of(WIREGUARD_GO, "-f", iface)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        daemons.add(p);
        Path socket = Path.of("/var/run/wireguard", iface + ".sock");
        long until = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > until) {
                fail("wireguard-go did not create " + socket + " in " + ns + " (alive: " + p.isAlive() + ")");
            }
            Thread.sleep(50);
        }
        String privateKey =
                ExternalCommand.run(List.of(WG, "genkey"), null, TIMEOUT).stdoutTrimmed();
        Path keyFile = keyDir.resolve(iface + ".key");
        Files.writeString(keyFile, privateKey + "\n");
        String publicKey = ExternalCommand.run(List.of(WG, "pubkey"), privateKey + "\n", TIMEOUT)
                .stdoutTrimmed();
        wg(ns, "set", iface, "listen-port", Integer.toString(PORT), "private-key", keyFile.toString());
        lab.inNs(ns, "/usr/sbin/ip", "addr", "add", address + "/24", "dev", iface);
        lab.inNs(ns, "/usr/sbin/ip", "link", "set", iface, "up");
        return publicKey;
    }

    private static String wg(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of(WG));
        command.addAll(List.of(args));
        ExternalCommand.Result r = ExternalCommand.run(lab.exec(ns, command), null, TIMEOUT);
        if (r.exitCode() != 0) {
            fail("wg " + args[0] + " in " + ns + " failed: " + r.stderr().strip());
        }
        return r.stdout();
    }

    @AfterAll
    static void tearDown() throws Exception {
        daemons.forEach(Process::destroy);
        for (Process p : daemons) {
            p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (lab != null) {
            lab.close();
        }
        if (keyDir != null) {
            try (var files = Files.list(keyDir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(keyDir);
        }
    }

    private static List<WireguardPeer> cloudPeers() {
        return WireguardDump.parsePeers(wg(lab.cloud, "show", WG_CLOUD, "dump"));
    }

    @Test
    void aForwardedUdpPortCarriesWireGuardToOneNodeOnlyAndTheVerdictNamesTheOther() throws Exception {
        long until = System.nanoTime() + TIMEOUT.toNanos();
        List<WireguardPeer> peers = cloudPeers();
        while (peers.stream().noneMatch(p -> p.lastHandshakeTime() != null) && System.nanoTime() < until) {
            Thread.sleep(200);
            peers = cloudPeers();
        }
        // Three more keepalive rounds: the second node has had every chance to answer.
        Thread.sleep(3000);
        peers = cloudPeers();
        WireguardPeer toHome1 = peers.stream()
                .filter(p -> p.allowedIps().contains("10.99.0.1/32"))
                .findFirst()
                .orElseThrow();
        WireguardPeer toHome2 = peers.stream()
                .filter(p -> p.allowedIps().contains("10.99.0.2/32"))
                .findFirst()
                .orElseThrow();
        assertThat(toHome1.lastHandshakeTime())
                .as("through the port-forward\n" + lab.ruleset())
                .isNotNull();
        assertThat(toHome1.transferRx()).isPositive();
        assertThat(toHome2.lastHandshakeTime())
                .as("on a private node IP behind the NAT")
                .isNull();
        assertThat(toHome2.transferRx()).isZero();
        assertThat(toHome2.transferTx())
                .as("handshake initiations sent, none answered")
                .isPositive();
        // The home side agrees: only the forwarded node ever completed a handshake.
        assertThat(WireguardDump.parsePeers(wg(lab.home2, "show", WG_HOME2, "dump"))
                        .get(0)
                        .lastHandshakeTime())
                .isNull();

        var verdict = DataPlaneLab.verdictFromWireGuard(
                peers,
                List.of(
                        new DataPlaneLab.LabNode("home-1", NatLab.HOME_IP, "10.99.0.1"),
                        new DataPlaneLab.LabNode("home-2", NatLab.HOME2_IP, "10.99.0.2")),
                NatLab.CLOUD_IP,
                Instant.now());
        assertThat(verdict.state()).isEqualTo("broken");
        assertThat(verdict.reasons()).extracting(r -> r.code()).containsExactly("PARTIAL", "WG_NO_HANDSHAKE");
        assertThat(verdict.reasons().get(1).message()).contains("home-2").doesNotContain("home-1");
    }
}
