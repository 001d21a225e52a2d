package io.clustermesh.controller.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A home network behind a router, on the real Linux network stack: three network namespaces made
 * for one test — {@code home} (the homelab, 192.168.77.10), {@code router} (LAN 192.168.77.1,
 * WAN 203.0.113.1, masquerading, one nft DNAT port-forward, and a home router's forward policy:
 * nothing from the WAN reaches the LAN unless forwarded) and {@code cloud} (203.0.113.20, on the
 * router's WAN side). Names carry a random suffix; {@link #close()} deletes the namespaces (and
 * with them every interface and rule), also from a shutdown hook if the test JVM dies first.
 */
public final class NatLab implements AutoCloseable {
    public static final String HOME_IP = "192.168.77.10";
    public static final String ROUTER_LAN_IP = "192.168.77.1";
    public static final String ROUTER_WAN_IP = "203.0.113.1";
    public static final String CLOUD_IP = "203.0.113.20";
    /** The second homelab node, on the router's second LAN port. */
    public static final String HOME2_IP = "192.168.78.10";

    public static final String ROUTER_LAN2_IP = "192.168.78.1";
    private static final String IP = "/usr/sbin/ip";
    private static final String NFT = "/usr/sbin/nft";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final String id = HexFormat.of().formatHex(randomBytes());
    public final String home = "cmr-" + id + "-home";
    public final String router = "cmr-" + id + "-rtr";
    public final String cloud = "cmr-" + id + "-cloud";
    public final String home2 = "cmr-" + id + "-home2";
    private final List<String> created = new ArrayList<>();
    private final Thread reaper = new Thread(this::deleteNamespaces, "natlab-reaper-" + id);

    private NatLab() {}

    /** Builds the three namespaces, or fails the test saying what is missing. */
    public static NatLab start() {
        requireRootAndTools();
        NatLab lab = new NatLab();
        Runtime.getRuntime().addShutdownHook(lab.reaper);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException | AssertionError e) {
            lab.close();
            throw e;
        }
    }

    private void build() {
        for (String ns : List.of(home, router, cloud, home2)) {
            run(IP, "netns", "add", ns);
            created.add(ns);
            inNs(ns, IP, "link", "set", "lo", "up");
        }
        // Interface names are per namespace, but creating them happens in the root namespace first: keep them unique.
        String homeEnd = "cmr" + id + "h";
        String lanEnd = "cmr" + id + "l";
        String wanEnd = "cmr" + id + "w";
        String cloudEnd = "cmr" + id + "c";
        String home2End = "cmr" + id + "k";
        String lan2End = "cmr" + id + "m";
        run(IP, "link", "add", homeEnd, "netns", home, "type", "veth", "peer", "name", lanEnd, "netns", router);
        run(IP, "link", "add", wanEnd, "netns", router, "type", "veth", "peer", "name", cloudEnd, "netns", cloud);
        inNs(home, IP, "addr", "add", HOME_IP + "/24", "dev", homeEnd);
        inNs(home, IP, "link", "set", homeEnd, "up");
        inNs(home, IP, "route", "add", "default", "via", ROUTER_LAN_IP);
        inNs(router, IP, "addr", "add", ROUTER_LAN_IP + "/24", "dev", lanEnd);
        inNs(router, IP, "addr", "add", ROUTER_WAN_IP + "/24", "dev", wanEnd);
        inNs(router, IP, "link", "set", lanEnd, "up");
        inNs(router, IP, "link", "set", wanEnd, "up");
        // /proc/sys/net is per network namespace: this turns forwarding on in the router only.
        inNs(router, "/bin/sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
        run(IP, "link", "add", home2End, "netns", home2, "type", "veth", "peer", "name", lan2End, "netns", router);
        inNs(home2, IP, "addr", "add", HOME2_IP + "/24", "dev", home2End);
        inNs(home2, IP, "link", "set", home2End, "up");
        inNs(home2, IP, "route", "add", "default", "via", ROUTER_LAN2_IP);
        inNs(router, IP, "addr", "add", ROUTER_LAN2_IP + "/24", "dev", lan2End);
        inNs(router, IP, "link", "set", lan2End, "up");
        inNs(cloud, IP, "addr", "add", CLOUD_IP + "/24", "dev", cloudEnd);
        inNs(cloud, IP, "link", "set", cloudEnd, "up");
        // The cloud side sends everything to the router, as the internet would deliver it there.
        inNs(cloud, IP, "route", "add", "default", "via", ROUTER_WAN_IP);
        nft("""
                table ip cmrnat {
                  chain prerouting { type nat hook prerouting priority dstnat; }
                  chain postrouting { type nat hook postrouting priority srcnat; oifname "%1$s" masquerade; }
                }
                table ip cmrfilter {
                  chain forward {
                    type filter hook forward priority filter; policy drop;
                    ct state established,related accept
                    iifname "%2$s" accept
                    iifname "%3$s" accept
                    ct status dnat accept
                  }
                }
                """.formatted(wanEnd, lanEnd, lan2End));
    }

    /** The router's port-forward: {@code WAN:publicPort} → {@code HOME_IP:privatePort}. */
    public void addPortForward(int publicPort, int privatePort) {
        nft("add rule ip cmrnat prerouting ip daddr " + ROUTER_WAN_IP + " tcp dport " + publicPort + " dnat to "
                + HOME_IP + ":" + privatePort + "\n");
    }

    /** A UDP port-forward: {@code WAN:publicPort} → {@code target:privatePort}; one forward reaches one LAN host. */
    public void addUdpPortForward(int publicPort, String target, int privatePort) {
        nft("add rule ip cmrnat prerouting ip daddr " + ROUTER_WAN_IP + " udp dport " + publicPort + " dnat to "
                + target + ":" + privatePort + "\n");
    }

    public void removePortForwards() {
        nft("flush chain ip cmrnat prerouting\n");
    }

    /** The router's ruleset, for failure messages. */
    public String ruleset() {
        return inNs(router, NFT, "list", "ruleset").stdout();
    }

    /** {@code ip netns exec NS command...} as a list, to start long-running processes in a namespace. */
    public List<String> exec(String ns, List<String> command) {
        List<String> full = new ArrayList<>(List.of(IP, "netns", "exec", ns));
        full.addAll(command);
        return full;
    }

    public ExternalCommand.Result inNs(String ns, String... command) {
        return run(exec(ns, List.of(command)).toArray(String[]::new));
    }

    private void nft(String script) {
        ExternalCommand.Result result =
                ExternalCommand.run(exec(router, List.of(NFT, "-f", "-")), script, COMMAND_TIMEOUT);
        if (result.exitCode() != 0) {
            fail("nft in " + router + " failed: " + result.stderr() + "\nscript:\n" + script);
        }
    }

    private static ExternalCommand.Result run(String... command) {
        ExternalCommand.Result result = ExternalCommand.run(List.of(command), null, COMMAND_TIMEOUT);
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        return result;
    }

    private static void requireRootAndTools() {
        ExternalCommand.requireBinary(IP, "iproute2");
        ExternalCommand.requireBinary(NFT, "nftables");
        ExternalCommand.Result uid = ExternalCommand.run(List.of("/usr/bin/id", "-u"));
        if (!"0".equals(uid.stdoutTrimmed())) {
            fail("the NAT test needs root for ip netns and nft (uid is " + uid.stdoutTrimmed()
                    + "); CI runs it as root via .ci/run");
        }
        if (!Files.isDirectory(Path.of("/proc/sys/net/ipv4"))) {
            fail("no IPv4 network stack visible in /proc/sys/net/ipv4");
        }
    }

    private void deleteNamespaces() {
        for (String ns : List.copyOf(created)) {
            ExternalCommand.run(List.of(IP, "netns", "del", ns), null, COMMAND_TIMEOUT);
            created.remove(ns);
        }
    }

    @Override
    public void close() {
        deleteNamespaces();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[2];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
