package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.cilium.NodeHealthReport.Reachability.REACHABLE;
import static io.clustermesh.controller.cilium.NodeHealthReport.Reachability.UNKNOWN;
import static io.clustermesh.controller.cilium.NodeHealthReport.Reachability.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.AgentStatusParser;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.NodeHealthReport;
import io.clustermesh.controller.cilium.NodeHealthReport.NodeHealth;
import io.clustermesh.controller.cilium.NodeHealthReport.Reachability;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The data-plane decision (contract dataplane.md §7.3) as a table, each row a named case. */
class DataPlaneEvaluatorTest {
    private static final Instant NOW = Instant.parse("2025-11-24T21:05:00Z");
    private static final List<DataPlaneEvaluator.NodeAddress> HOMELAB = List.of(
            new DataPlaneEvaluator.NodeAddress("homelab-node-1", "192.168.1.21"),
            new DataPlaneEvaluator.NodeAddress("homelab-node-2", "192.168.1.22"));
    private static final List<DataPlaneEvaluator.NodeAddress> CLOUD = List.of(
            new DataPlaneEvaluator.NodeAddress("cloud-node-1", "172.31.10.11"),
            new DataPlaneEvaluator.NodeAddress("cloud-node-2", "172.31.10.12"));

    private static CiliumConfig config(String name, String podCidr, String... extra) {
        Map<String, String> data = new HashMap<>(Map.of(
                "cluster-name",
                name,
                "routing-mode",
                "tunnel",
                "tunnel-protocol",
                "vxlan",
                "cluster-pool-ipv4-cidr",
                podCidr,
                "cluster-id",
                name.equals("homelab") ? "1" : "2"));
        for (int i = 0; i < extra.length; i += 2) {
            data.put(extra[i], extra[i + 1]);
        }
        return CiliumConfig.fromData(data);
    }

    /** One agent of homelab probing cloud's two nodes: host and endpoint verdict per node. */
    private static List<NodeHealthReport> probes(
            Reachability host1, Reachability ep1, Reachability host2, Reachability ep2) {
        List<NodeHealth> nodes = new ArrayList<>();
        nodes.add(new NodeHealth("homelab/homelab-node-1", "192.168.1.21", REACHABLE, "10.1.0.10", REACHABLE));
        nodes.add(new NodeHealth("cloud/cloud-node-1", "172.31.10.11", host1, "10.2.0.10", ep1));
        nodes.add(new NodeHealth("cloud/cloud-node-2", "172.31.10.12", host2, "10.2.1.10", ep2));
        return List.of(new NodeHealthReport("homelab/homelab-node-1", NOW, nodes));
    }

    private static DataPlaneEvaluator.Side homelab(
            CiliumConfig config, List<NodeHealthReport> health, boolean portForward) {
        return new DataPlaneEvaluator.Side(
                "homelab", config, HOMELAB, portForward, health, health.isEmpty() ? "exec refused" : null, null);
    }

    private static DataPlaneEvaluator.Side cloud(CiliumConfig config) {
        return new DataPlaneEvaluator.Side("cloud", config, CLOUD, false, List.of(), null, null);
    }

    static Stream<Arguments> cases() {
        CiliumConfig h = config("homelab", "10.1.0.0/16");
        CiliumConfig c = config("cloud", "10.2.0.0/16");
        return Stream.of(
                Arguments.of(
                        "every pod path answers",
                        h,
                        c,
                        true,
                        probes(REACHABLE, REACHABLE, REACHABLE, REACHABLE),
                        "ok",
                        List.of("PODS_REACH_PODS")),
                Arguments.of(
                        "behind NAT with a port-forward: nothing answers",
                        h,
                        c,
                        true,
                        probes(UNREACHABLE, UNREACHABLE, UNREACHABLE, UNREACHABLE),
                        "control-plane-only",
                        List.of(
                                "ALL_REMOTE_UNREACHABLE",
                                "NODE_IP_PRIVATE_UNROUTED",
                                "RETURN_PATH_PRIVATE",
                                "PORT_FORWARD_CONTROL_PLANE_ONLY")),
                Arguments.of(
                        "node IPs answer, pods do not",
                        h,
                        c,
                        true,
                        probes(REACHABLE, UNREACHABLE, REACHABLE, UNREACHABLE),
                        "broken",
                        List.of("HOST_OK_ENDPOINT_FAIL")),
                Arguments.of(
                        "one remote node down",
                        h,
                        c,
                        true,
                        probes(REACHABLE, REACHABLE, UNREACHABLE, UNREACHABLE),
                        "broken",
                        List.of("PARTIAL")),
                Arguments.of(
                        "pod path fine, node ICMP/4240 filtered",
                        h,
                        c,
                        true,
                        probes(UNREACHABLE, REACHABLE, UNREACHABLE, REACHABLE),
                        "ok",
                        List.of("PODS_REACH_PODS")),
                Arguments.of(
                        "nothing probed yet",
                        h,
                        c,
                        true,
                        probes(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN),
                        "unknown",
                        List.of("NO_PROBE_DATA")),
                Arguments.of(
                        "control plane down",
                        h,
                        c,
                        false,
                        probes(REACHABLE, REACHABLE, REACHABLE, REACHABLE),
                        "unknown",
                        List.of("CP_DOWN")),
                Arguments.of("no health report", h, c, true, List.of(), "unknown", List.of("NO_HEALTH_DATA")),
                Arguments.of(
                        "overlapping pod CIDRs",
                        h,
                        config("cloud", "10.0.0.0/8"),
                        true,
                        probes(REACHABLE, REACHABLE, REACHABLE, REACHABLE),
                        "broken",
                        List.of("CFG_PODCIDR_OVERLAP")),
                Arguments.of(
                        "tunnel vs native routing",
                        h,
                        config("cloud", "10.2.0.0/16", "routing-mode", "native"),
                        true,
                        probes(REACHABLE, REACHABLE, REACHABLE, REACHABLE),
                        "broken",
                        List.of("CFG_ROUTING_MODE_MISMATCH")),
                Arguments.of(
                        "WireGuard on one side only",
                        h,
                        config("cloud", "10.2.0.0/16", "enable-wireguard", "true"),
                        true,
                        probes(REACHABLE, REACHABLE, REACHABLE, REACHABLE),
                        "broken",
                        List.of("CFG_ENCRYPTION_MISMATCH")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdicts(
            String name,
            CiliumConfig h,
            CiliumConfig c,
            boolean controlPlane,
            List<NodeHealthReport> probes,
            String state,
            List<String> codes) {
        LinkView.DataPlane verdict = DataPlaneEvaluator.evaluate(homelab(h, probes, true), cloud(c), controlPlane, NOW);
        assertThat(verdict.state()).isEqualTo(state);
        assertThat(verdict.reasons()).extracting(LinkView.Reason::code).containsExactlyElementsOf(codes);
        if (state.equals("control-plane-only") || state.equals("broken")) {
            assertThat(verdict.remediation()).as("what to do").isNotBlank();
        }
        if (state.equals("ok")) {
            assertThat(verdict.remediation()).isNull();
        }
    }

    @Test
    void theRemediationNamesTheUnroutedNetworksAndWhatThePortForwardCannotCarry() {
        CiliumConfig wg = config("homelab", "10.1.0.0/16", "enable-wireguard", "true");
        var verdict = DataPlaneEvaluator.evaluate(
                homelab(wg, probes(UNREACHABLE, UNREACHABLE, UNREACHABLE, UNREACHABLE), true),
                cloud(config("cloud", "10.2.0.0/16", "enable-wireguard", "true")),
                true,
                NOW);
        assertThat(verdict.remediation())
                .isEqualTo(
                        "cloud nodes 172.31.10.0/24 are not routed from homelab: advertise them from a Tailscale"
                                + " subnet router and approve the route, or run the nodes with tailnet addresses; homelab nodes 192.168.1.0/24 must be routed"
                                + " from cloud the same way (replies go to node IPs). Pods need every node to reach every remote node on UDP 51871 (WireGuard),"
                                + " UDP 8472 (VXLAN) and TCP 4240 (health); the router port-forward carries the control plane only.");
    }

    /** The contract's fixtures: cloud's agent behind a VPC sees the homelab nodes dead, and its WireGuard peers never handshook. */
    @Test
    void theNatFixturesFromTheCloudSideAreControlPlaneOnlyWithoutWireGuardHandshakes() throws IOException {
        NodeHealthReport report =
                NodeHealthReport.parse(fixture("cilium-health-status-nat-control-plane-only-1.16.json"));
        var peers = AgentStatusParser.parseDebugInfoWireguard(fixture("cilium-dbg-debuginfo-wireguard-nat-broken.json"))
                .interfaces()
                .get(0)
                .peers();
        CiliumConfig wgCloud = config("cloud", "10.2.0.0/16", "enable-wireguard", "true");
        var cloudSide = new DataPlaneEvaluator.Side("cloud", wgCloud, List.of(), false, List.of(report), null, peers);
        var homelabSide = new DataPlaneEvaluator.Side(
                "homelab",
                config("homelab", "10.1.0.0/16", "enable-wireguard", "true"),
                HOMELAB,
                true,
                List.of(),
                null,
                null);
        var verdict = DataPlaneEvaluator.evaluate(cloudSide, homelabSide, true, NOW);
        assertThat(verdict.state()).isEqualTo("control-plane-only");
        assertThat(verdict.reasons())
                .extracting(LinkView.Reason::code)
                .contains("ALL_REMOTE_UNREACHABLE", "NODE_IP_PRIVATE_UNROUTED", "WG_NO_HANDSHAKE");
        assertThat(verdict.remediation()).startsWith("homelab nodes 192.168.1.0/24 are not routed from cloud");
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = DataPlaneEvaluatorTest.class.getResourceAsStream("/fixtures/cilium/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
