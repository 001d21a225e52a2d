package io.clustermesh.controller.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.clustermesh.controller.pki.WireGuardKeyPair;
import io.clustermesh.controller.pki.WireGuardKeys;
import io.clustermesh.controller.support.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real WireGuard tunnel (userspace wireguard-go) between two network namespaces, keyed with keys
 * our code generated; then one side's key is rotated by our code and the peer updated, and the
 * tunnel handshakes again. Needs root, {@code ip netns}, wireguard-go and wg; fails (never skips)
 * when they are missing. wireguard-go's control sockets ({@code /var/run/wireguard/<if>.sock})
 * are shared by all namespaces, hence interface names no other test uses.
 */
class WireGuardTunnelTest {
    private static final String WG = "/usr/bin/wg";
    private static final String WIREGUARD_GO = "/usr/bin/wireguard-go";
    private static final String IF_A = "wgcma";
    private static final String IF_B = "wgcmb";
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(20);

    private final String suffix = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final String nsA = "cmw-a-" + suffix;
    private final String nsB = "cmw-b-" + suffix;
    private final List<Process> daemons = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void namespaces() throws IOException {
        ExternalCommand.requireBinary(WG, "wireguard-tools");
        ExternalCommand.requireBinary(WIREGUARD_GO, "wireguard-go");
        ExternalCommand.requireBinary("/usr/sbin/ip", "iproute2");
        dir = Files.createTempDirectory(
                "wg-tunnel-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        sh("ip", "netns", "add", nsA);
        sh("ip", "netns", "add", nsB);
        sh(
                "ip",
                "link",
                "add",
                "cmwva" + suffix,
                "netns",
                nsA,
                "type",
                "veth",
                "peer",
                "name",
                "cmwvb" + suffix,
                "netns",
                nsB);
        sh("ip", "-n", nsA, "addr", "add", "10.201.0.1/24", "dev", "cmwva" + suffix);
        sh("ip", "-n", nsB, "addr", "add", "10.201.0.2/24", "dev", "cmwvb" + suffix);
        for (String ns : List.of(nsA, nsB)) {
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        sh("ip", "-n", nsA, "link", "set", "cmwva" + suffix, "up");
        sh("ip", "-n", nsB, "link", "set", "cmwvb" + suffix, "up");
        daemons.add(wireguardGo(nsA, IF_A));
        daemons.add(wireguardGo(nsB, IF_B));
        sh("ip", "-n", nsA, "addr", "add", "10.202.0.1/24", "dev", IF_A);
        sh("ip", "-n", nsB, "addr", "add", "10.202.0.2/24", "dev", IF_B);
        sh("ip", "-n", nsA, "link", "set", IF_A, "up");
        sh("ip", "-n", nsB, "link", "set", IF_B, "up");
    }

    @AfterEach
    void cleanUp() {
        for (Process daemon : daemons) {
            daemon.destroy();
        }
        for (Process daemon : daemons) {
            try {
                if (!daemon.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : List.of(nsA, nsB)) {
            ExternalCommand.run(List.of("ip", "netns", "del", ns));
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // best effort: only key files of this test live here
            }
            dir.toFile().delete();
        }
    }

    @Test
    void tunnelHandshakesWithOurKeysAndAgainAfterRotatingOneSide() throws IOException {
        WireGuardKeyPair a = WireGuardKeys.generate();
        WireGuardKeyPair b = WireGuardKeys.generate();
        configure(nsA, IF_A, a, 51871, b, "10.201.0.2:51872", "10.202.0.2/32");
        configure(nsB, IF_B, b, 51872, a, "10.201.0.1:51871", "10.202.0.1/32");

        assertThat(wg(nsB, "show", IF_B, "public-key")).isEqualTo(b.publicKeyBase64());
        awaitHandshake(nsA, IF_A, b.publicKeyBase64());
        awaitHandshake(nsB, IF_B, a.publicKeyBase64());

        // Rotation of B, as the contract's node-by-node rotation does it: new key on B, A's peer entry replaced.
        WireGuardKeyPair rotated = WireGuardKeys.generate();
        assertThat(rotated.publicKeyBase64()).isNotEqualTo(b.publicKeyBase64());
        wg(nsB, "set", IF_B, "private-key", keyFile("b2", rotated).toString());
        wg(nsA, "set", IF_A, "peer", b.publicKeyBase64(), "remove");
        wg(
                nsA,
                "set",
                IF_A,
                "peer",
                rotated.publicKeyBase64(),
                "endpoint",
                "10.201.0.2:51872",
                "allowed-ips",
                "10.202.0.2/32",
                "persistent-keepalive",
                "1");

        assertThat(wg(nsB, "show", IF_B, "public-key")).isEqualTo(rotated.publicKeyBase64());
        assertThat(wg(nsA, "show", IF_A, "peers")).isEqualTo(rotated.publicKeyBase64());
        awaitHandshake(nsA, IF_A, rotated.publicKeyBase64());
    }

    private void configure(
            String ns,
            String ifname,
            WireGuardKeyPair own,
            int port,
            WireGuardKeyPair peer,
            String endpoint,
            String allowed)
            throws IOException {
        wg(
                ns,
                "set",
                ifname,
                "listen-port",
                Integer.toString(port),
                "private-key",
                keyFile(ifname, own).toString(),
                "peer",
                peer.publicKeyBase64(),
                "endpoint",
                endpoint,
                "allowed-ips",
                allowed,
                "persistent-keepalive",
                "1");
    }

    /** wg reads private keys only from files; this one is 0600 in a 0700 temp dir and deleted afterwards. */
    private Path keyFile(String name, WireGuardKeyPair pair) throws IOException {
        Path file = Files.createFile(
                dir.resolve(name + ".key"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, WireGuardKeys.encode(pair.privateKey()) + "\n");
        return file;
    }

    /** Sends a datagram into the tunnel (no ping here) and waits for a handshake with {@code peerKey}. */
    private void awaitHandshake(String ns, String ifname, String peerKey) {
        long until = System.nanoTime() + HANDSHAKE_TIMEOUT.toNanos();
        String target = ifname.equals(IF_A) ? "10.202.0.2" : "10.202.0.1";
        String last = "";
        while (System.nanoTime() < until) {
            ExternalCommand.run(
                    List.of("ip", "netns", "exec", ns, "bash", "-c", "echo probe > /dev/udp/" + target + "/9"));
            last = wg(ns, "show", ifname, "latest-handshakes");
            for (String line : last.split("\n")) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 2 && fields[0].equals(peerKey) && !fields[1].equals("0")) {
                    return;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("no handshake on " + ifname + " with peer "
                + WireGuardKeys.fingerprint(WireGuardKeys.decode(peerKey, "peer")) + " within " + HANDSHAKE_TIMEOUT
                + "; latest-handshakes: " + last);
    }

    private Process wireguardGo(String ns, String ifname) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", ns, WIREGUARD_GO, "-f", ifname)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(ifname + ".log").toFile());
        builder.environment().put("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1");
        Process process = builder.start();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            if (ExternalCommand.run(List.of("ip", "-n", ns, "link", "show", ifname))
                                    .exitCode()
                            == 0
                    && Files.exists(Path.of("/var/run/wireguard/" + ifname + ".sock"))) {
                return process;
            }
            if (!process.isAlive()) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        fail("wireguard-go did not bring up " + ifname + " in " + ns + ": "
                + Files.readString(dir.resolve(ifname + ".log")));
        return process;
    }

    private static String wg(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, WG));
        command.addAll(List.of(args));
        return sh(command.toArray(String[]::new));
    }

    /** Runs a setup command; without root or ip netns this fails the test with what is missing. */
    private static String sh(String... command) {
        var result = ExternalCommand.run(List.of(command));
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " failed (" + result.exitCode() + "): "
                    + result.stderr().strip() + (isRoot() ? "" : " — this test needs root (network namespaces)"));
        }
        return result.stdoutTrimmed();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
