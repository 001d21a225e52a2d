package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.clustermesh.controller.cilium.NodeHealthReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Feeds what the NAT lab observed into the service's data-plane verdict ({@link DataPlaneEvaluator}):
 * the lab's cloud node plays an agent of cluster "cloud", its real WireGuard peers are the agent's
 * peers, and the pod path to each homelab node is taken from WireGuard's own evidence of a round
 * trip (a completed handshake and bytes received). The lab has no ICMP tool, so host paths are unknown.
 */
public final class DataPlaneLab {
    private DataPlaneLab() {}

    /** A homelab node of the lab: its node IP (what Cilium dials) and its address inside the tunnel. */
    public record LabNode(String name, String nodeIp, String tunnelIp) {}

    public static LinkView.DataPlane verdictFromWireGuard(
            List<WireguardPeer> cloudPeers, List<LabNode> homelab, String cloudIp, Instant now) {
        List<NodeHealthReport.NodeHealth> probes = homelab.stream()
                .map(n -> {
                    boolean roundTrip = cloudPeers.stream()
                            .anyMatch(p -> p.allowedIps().contains(n.tunnelIp() + "/32")
                                    && p.lastHandshakeTime() != null
                                    && p.transferRx() > 0);
                    return new NodeHealthReport.NodeHealth(
                            "homelab/" + n.name(),
                            n.nodeIp(),
                            NodeHealthReport.Reachability.UNKNOWN,
                            n.tunnelIp(),
                            roundTrip
                                    ? NodeHealthReport.Reachability.REACHABLE
                                    : NodeHealthReport.Reachability.UNREACHABLE);
                })
                .toList();
        var report = new NodeHealthReport("cloud/cloud-node-1", now, probes);
        var cloud = new DataPlaneEvaluator.Side(
                "cloud",
                config("cloud", "2", "10.2.0.0/16"),
                List.of(new DataPlaneEvaluator.NodeAddress("cloud-node-1", cloudIp)),
                false,
                List.of(report),
                null,
                cloudPeers);
        var home = new DataPlaneEvaluator.Side(
                "homelab",
                config("homelab", "1", "10.1.0.0/16"),
                homelab.stream()
                        .map(n -> new DataPlaneEvaluator.NodeAddress(n.name(), n.nodeIp()))
                        .toList(),
                true,
                List.of(),
                null,
                null);
        return DataPlaneEvaluator.evaluate(cloud, home, true, now);
    }

    private static CiliumConfig config(String name, String id, String podCidr) {
        return CiliumConfig.fromData(Map.of(
                "cluster-name",
                name,
                "cluster-id",
                id,
                "routing-mode",
                "tunnel",
                "tunnel-protocol",
                "vxlan",
                "enable-wireguard",
                "true",
                "cluster-pool-ipv4-cidr",
                podCidr));
    }
}
