package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.cilium.NodeHealthReport.Reachability.REACHABLE;
import static io.clustermesh.controller.cilium.NodeHealthReport.Reachability.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.NodeHealthReport;
import io.clustermesh.controller.cilium.NodeHealthReport.NodeHealth;
import io.clustermesh.controller.tailscale.Device;
import io.clustermesh.controller.tailscale.RouteCoverage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tailnet's routes in the data-plane verdict (issue 17 item 2): they refine the path hints and
 * the remediation and travel with the verdict; the agents' probes still decide the state.
 */
class TailnetRouteDataPlaneTest {
    private static final Instant NOW = Instant.parse("2026-08-20T10:00:00Z");
    private static final List<DataPlaneEvaluator.NodeAddress> CLOUD = List.of(
            new DataPlaneEvaluator.NodeAddress("cloud-node-1", "172.31.2.11"),
            new DataPlaneEvaluator.NodeAddress("cloud-node-2", "172.31.2.12"));

    private static CiliumConfig config(String name, String podCidr, String id) {
        return CiliumConfig.fromData(Map.of(
                "cluster-name",
                name,
                "routing-mode",
                "tunnel",
                "tunnel-protocol",
                "vxlan",
                "cluster-pool-ipv4-cidr",
                podCidr,
                "cluster-id",
                id));
    }

    private static List<NodeHealthReport> probes(NodeHealthReport.Reachability r) {
        return List.of(new NodeHealthReport(
                "homelab/homelab-node-1",
                NOW,
                List.of(
                        new NodeHealth("cloud/cloud-node-1", "172.31.2.11", r, "10.2.0.10", r),
                        new NodeHealth("cloud/cloud-node-2", "172.31.2.12", r, "10.2.1.10", r))));
    }

    private static DataPlaneEvaluator.Side homelab(List<NodeHealthReport> health) {
        return new DataPlaneEvaluator.Side(
                "homelab",
                config("homelab", "10.1.0.0/16", "1"),
                List.of(new DataPlaneEvaluator.NodeAddress("homelab-node-1", "192.168.1.21")),
                false,
                health,
                null,
                null);
    }

    private static final DataPlaneEvaluator.Side CLOUD_SIDE = new DataPlaneEvaluator.Side(
            "cloud", config("cloud", "10.2.0.0/16", "2"), CLOUD, false, List.of(), null, null);

    private static RouteCoverage coverage(List<String> advertised, List<String> enabled, boolean online) {
        Device router = new Device(
                "7",
                "nCloudR1CNTRL",
                "cloud-subnet.tail4e2a9.ts.net",
                "cloud-subnet",
                List.of("100.101.7.20"),
                List.of("tag:k8s"),
                "linux",
                "1.86.2",
                online,
                null,
                null,
                true,
                true,
                advertised,
                enabled,
                null);
        return RouteCoverage.of(
                List.of(router),
                CLOUD.stream()
                        .map(n -> new RouteCoverage.Target(n.name(), n.ip()))
                        .toList());
    }

    @Test
    void anUnapprovedRouteIsNamedWithTheExactCallThatApprovesIt() {
        RouteCoverage tailnet = coverage(List.of("172.31.2.0/24"), List.of(), true);
        var verdict = DataPlaneEvaluator.evaluate(homelab(probes(UNREACHABLE)), CLOUD_SIDE, true, NOW, tailnet);

        assertThat(verdict.state()).isEqualTo("control-plane-only");
        assertThat(verdict.reasons())
                .extracting(LinkView.Reason::code)
                .contains("SUBNET_ROUTE_NOT_APPROVED")
                .doesNotContain("NODE_IP_PRIVATE_UNROUTED");
        assertThat(verdict.remediation())
                .startsWith(
                        "approve 172.31.2.0/24 advertised by cloud-subnet"
                                + " (POST /api/v2/device/nCloudR1CNTRL/routes {\"routes\": [\"172.31.2.0/24\"]}, or autoApprovers in the tailnet policy)");
        assertThat(verdict.tailnet()).isSameAs(tailnet);
    }

    @Test
    void anApprovedRouteThatStillCarriesNothingPointsAtAcceptRoutes() {
        var verdict = DataPlaneEvaluator.evaluate(
                homelab(probes(UNREACHABLE)),
                CLOUD_SIDE,
                true,
                NOW,
                coverage(List.of("172.31.2.0/24"), List.of("172.31.2.0/24"), true));
        assertThat(verdict.state()).isEqualTo("control-plane-only");
        assertThat(verdict.reasons())
                .extracting(LinkView.Reason::code)
                .contains("ACCEPT_ROUTES_OFF")
                .doesNotContain("NODE_IP_PRIVATE_UNROUTED");
    }

    @Test
    void anOfflineRouterIsNamed() {
        var verdict = DataPlaneEvaluator.evaluate(
                homelab(probes(UNREACHABLE)),
                CLOUD_SIDE,
                true,
                NOW,
                coverage(List.of("172.31.2.0/24"), List.of("172.31.2.0/24"), false));
        assertThat(verdict.reasons())
                .extracting(LinkView.Reason::code)
                .contains("TAILNET_DEVICE_OFFLINE", "NODE_IP_PRIVATE_UNROUTED");
        assertThat(verdict.remediation()).startsWith("cloud nodes 172.31.2.0/24 are not routed from homelab");
    }

    @Test
    void routesNeverMakeADataPlaneOkWithoutProbesAndProbesDecide() {
        RouteCoverage routed = coverage(List.of("172.31.2.0/24"), List.of("172.31.2.0/24"), true);
        assertThat(DataPlaneEvaluator.evaluate(homelab(List.of()), CLOUD_SIDE, true, NOW, routed)
                        .state())
                .isEqualTo("unknown");
        assertThat(DataPlaneEvaluator.evaluate(
                                homelab(probes(REACHABLE)), CLOUD_SIDE, true, NOW, coverage(List.of(), List.of(), true))
                        .state())
                .isEqualTo("ok");
    }

    @Test
    void withoutTailnetFactsTheVerdictIsUnchanged() {
        var without = DataPlaneEvaluator.evaluate(homelab(probes(UNREACHABLE)), CLOUD_SIDE, true, NOW);
        assertThat(without.tailnet()).isNull();
        assertThat(without.reasons()).extracting(LinkView.Reason::code).contains("NODE_IP_PRIVATE_UNROUTED");
    }
}
