package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.clustermesh.controller.cilium.MeshFinding;
import io.clustermesh.controller.cilium.MeshMember;
import io.clustermesh.controller.cilium.MeshValidator;
import io.clustermesh.controller.cilium.NodeAddressClass;
import io.clustermesh.controller.cilium.NodeHealthReport;
import io.clustermesh.controller.cilium.NodeHealthReport.Reachability;
import io.clustermesh.controller.cilium.ReadingSources;
import io.clustermesh.controller.tailscale.RouteCoverage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The data-plane verdict of one direction A→B (issue 17 item 1; contract dataplane.md §7): can
 * pods in A reach pods in B and back, as A's agents observe it. Compatible settings first (same
 * routing, tunnel and encryption, pod CIDRs apart), then Cilium's own node probes: the
 * health-endpoint path is a pod IP over the real datapath, the host path the bare node IP. A
 * control plane that works says nothing about this: a router port-forward carries the
 * clustermesh-apiserver connection only. Never "ok" without an observation.
 */
final class DataPlaneEvaluator {
    static final String OK = "ok";
    static final String CONTROL_PLANE_ONLY = "control-plane-only";
    static final String BROKEN = "broken";
    static final String UNKNOWN = "unknown";
    /** WireGuard rejects a session's keys after 180 s (REJECT_AFTER_TIME); add a probe interval for traffic to renew it. */
    static final Duration HANDSHAKE_FRESH = Duration.ofSeconds(180 + 60);

    private static final Set<String> DATA_PLANE_FIELDS = Set.of(
            MeshValidator.FIELD_ROUTING_MODE,
            MeshValidator.FIELD_TUNNEL_PROTOCOL,
            MeshValidator.FIELD_WIREGUARD,
            MeshValidator.FIELD_IPSEC,
            MeshValidator.FIELD_POD_CIDR);

    /** A node and the address Cilium dials it on (its InternalIP, §1.2). */
    record NodeAddress(String name, String ip) {}

    /**
     * What one side contributes.
     *
     * @param portForward  reached through a router port-forward (reachability mode)
     * @param health       cilium-health reports of this side's agents; empty when none could be read
     * @param healthError  why none could be read, or null
     * @param peers        this side's agents' WireGuard peers (debuginfo, or {@code wg show dump}); null when not read
     */
    record Side(
            String name,
            CiliumConfig config,
            List<NodeAddress> nodes,
            boolean portForward,
            List<NodeHealthReport> health,
            String healthError,
            List<WireguardPeer> peers) {}

    private DataPlaneEvaluator() {}

    static LinkView.DataPlane evaluate(Side a, Side b, boolean controlPlaneReady, Instant now) {
        return evaluate(a, b, controlPlaneReady, now, null);
    }

    /**
     * @param tailnet which of B's node addresses the tailnet carries (API v2 devices and routes), or
     *                null when unknown: it refines the route hints and the remediation, and goes with
     *                the verdict. Observation still decides the state: a route we know of proves nothing.
     */
    static LinkView.DataPlane evaluate(Side a, Side b, boolean controlPlaneReady, Instant now, RouteCoverage tailnet) {
        LinkView.DataPlane verdict = evaluateObserved(a, b, controlPlaneReady, now, tailnet);
        return tailnet == null ? verdict : verdict.withTailnet(tailnet);
    }

    private static LinkView.DataPlane evaluateObserved(
            Side a, Side b, boolean controlPlaneReady, Instant now, RouteCoverage tailnet) {
        if (!controlPlaneReady) {
            return verdict(
                    UNKNOWN,
                    List.of(reason(
                            "CP_DOWN", "data plane not assessed: the control plane to " + b.name() + " is not ready")),
                    null);
        }
        List<LinkView.Reason> config = configReasons(a, b);
        if (!config.isEmpty()) {
            return verdict(
                    BROKEN,
                    config,
                    "make the two clusters' Cilium settings compatible (Helm values routingMode, tunnelProtocol,"
                            + " encryption, ipam.operator.clusterPoolIPv4PodCIDRList): pods cannot reach each other otherwise");
        }
        if (a.health().isEmpty()) {
            String why = a.healthError() == null ? "no cilium-health report from " + a.name() : a.healthError();
            return verdict(
                    UNKNOWN,
                    List.of(reason("NO_HEALTH_DATA", why)),
                    "enable health checking (Helm value healthChecking, on by default) and grant pods/exec on the agents");
        }
        List<String> reachable = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        int unknown = 0;
        boolean anyHost = false;
        boolean endpointProbes = false;
        Set<String> seen = new LinkedHashSet<>();
        for (NodeHealthReport report : a.health()) {
            for (NodeHealthReport.NodeHealth n : report.nodesOf(b.name())) {
                seen.add(n.node());
                String pair = report.localName() + " -> " + n.name();
                endpointProbes |= n.endpointIp() != null;
                anyHost |= n.host() == Reachability.REACHABLE;
                switch (n.endpoint()) {
                    case REACHABLE -> reachable.add(pair);
                    case UNREACHABLE -> unreachable.add(pair);
                    default -> unknown++;
                }
            }
        }
        if (seen.isEmpty()) {
            return verdict(
                    BROKEN,
                    List.of(reason(
                            "NODES_NOT_SYNCED",
                            a.name() + "'s agents know no node of " + b.name() + " although connected")),
                    "check the remote's nodes are synchronised (cilium-dbg status: synced nodes)");
        }
        List<LinkView.Reason> warnings = wireguardReasons(a, b, now);
        if (!endpointProbes) {
            return verdict(
                    UNKNOWN,
                    List.of(reason(
                            "ENDPOINT_PROBE_DISABLED",
                            "endpoint health checking is off in " + a.name() + ": no probe takes the pod path")),
                    "enable endpointHealthChecking, or run cilium connectivity test --multi-cluster");
        }
        if (reachable.isEmpty() && unreachable.isEmpty()) {
            return verdict(
                    UNKNOWN,
                    List.of(reason("NO_PROBE_DATA", "the nodes of " + b.name() + " have not been probed yet")),
                    "wait one probe interval (about 1-2 minutes)");
        }
        if (unreachable.isEmpty()) {
            List<LinkView.Reason> reasons = new ArrayList<>();
            reasons.add(
                    reason("PODS_REACH_PODS", reachable.size() + " agent->node pod paths to " + b.name() + " answer"));
            if (unknown > 0) {
                reasons.add(reason("PENDING_PROBES", unknown + " pairs not probed yet"));
            }
            reasons.addAll(warnings);
            return verdict(OK, reasons, null);
        }
        if (reachable.isEmpty() && !anyHost) {
            List<LinkView.Reason> reasons = new ArrayList<>();
            reasons.add(reason(
                    "ALL_REMOTE_UNREACHABLE",
                    seen.size() + "/" + seen.size() + " nodes of " + b.name() + " unreachable from every agent of "
                            + a.name() + " (cilium-health: host and pod paths fail)"));
            reasons.addAll(pathHints(a, b, tailnet));
            reasons.addAll(warnings);
            return verdict(CONTROL_PLANE_ONLY, reasons, remediation(a, b, tailnet));
        }
        if (reachable.isEmpty()) {
            List<LinkView.Reason> reasons = new ArrayList<>();
            reasons.add(reason("HOST_OK_ENDPOINT_FAIL", "node IPs of " + b.name() + " answer but pod paths fail"));
            reasons.addAll(warnings);
            return verdict(
                    BROKEN,
                    reasons,
                    "open " + ports(a.config()) + " between the nodes of " + a.name() + " and " + b.name()
                            + " in both directions; check equal tunnel/encryption settings and the MTU");
        }
        List<LinkView.Reason> reasons = new ArrayList<>();
        reasons.add(reason(
                "PARTIAL",
                unreachable.size() + " of " + (unreachable.size() + reachable.size()) + " agent->node pod paths fail: "
                        + String.join(", ", unreachable)));
        reasons.addAll(warnings);
        return verdict(
                BROKEN,
                reasons,
                "a node that fails every target points at that local node; a target every agent fails points at that remote node");
    }

    private static List<LinkView.Reason> configReasons(Side a, Side b) {
        if (a.config() == null || b.config() == null) {
            return List.of();
        }
        List<LinkView.Reason> reasons = new ArrayList<>();
        for (MeshFinding f : MeshValidator.validate(
                List.of(new MeshMember(a.name(), a.config()), new MeshMember(b.name(), b.config())))) {
            if (DATA_PLANE_FIELDS.contains(f.field())) {
                String code = switch (f.field()) {
                    case MeshValidator.FIELD_ROUTING_MODE -> "CFG_ROUTING_MODE_MISMATCH";
                    case MeshValidator.FIELD_TUNNEL_PROTOCOL -> "CFG_TUNNEL_MISMATCH";
                    case MeshValidator.FIELD_POD_CIDR -> "CFG_PODCIDR_OVERLAP";
                    default -> "CFG_ENCRYPTION_MISMATCH";
                };
                reasons.add(reason(code, f.message()));
            }
        }
        return reasons;
    }

    /** Static route hints per remote node address (§7.2): which of them nothing we know of routes. */
    private static List<LinkView.Reason> pathHints(Side a, Side b, RouteCoverage tailnet) {
        List<LinkView.Reason> hints = new ArrayList<>();
        List<String> privateRemote = unroutedPrivate(b, tailnet);
        if (tailnet != null) {
            hints.addAll(tailnetHints(a, b, tailnet));
        }
        if (!privateRemote.isEmpty()) {
            hints.add(reason(
                    "NODE_IP_PRIVATE_UNROUTED",
                    "nodes of " + b.name() + " use private node IPs " + String.join(", ", privateRemote)
                            + " with no route known from " + a.name()));
        }
        List<String> privateLocal = a.nodes().stream()
                .filter(n -> NodeAddressClass.of(n.ip()) == NodeAddressClass.PRIVATE)
                .map(NodeAddress::ip)
                .toList();
        if (!privateLocal.isEmpty()) {
            hints.add(reason(
                    "RETURN_PATH_PRIVATE",
                    b.name() + " nodes answer to " + a.name() + " node IPs " + String.join(", ", privateLocal)
                            + ", which are private"));
        }
        if (a.portForward() || b.portForward()) {
            hints.add(reason(
                    "PORT_FORWARD_CONTROL_PLANE_ONLY",
                    "a router port-forward carries the control plane only (one TCP port to the"
                            + " clustermesh-apiserver); it cannot expose every node's " + ports(a.config())
                            + " or change the addresses Cilium dials"));
        }
        return hints;
    }

    /** B's private node IPs with no path we know of: all of them without tailnet facts, else those no tailnet route could carry yet. */
    private static List<String> unroutedPrivate(Side b, RouteCoverage tailnet) {
        List<String> ips = b.nodes().stream()
                .filter(n -> NodeAddressClass.of(n.ip()) == NodeAddressClass.PRIVATE)
                .map(NodeAddress::ip)
                .toList();
        if (tailnet == null) {
            return ips;
        }
        // A node inside an advertised route that waits for approval has its own hint (SUBNET_ROUTE_NOT_APPROVED).
        List<String> uncovered = tailnet.uncovered().stream()
                .filter(n -> n.route() == null)
                .map(RouteCoverage.NodePath::ip)
                .toList();
        return ips.stream().filter(uncovered::contains).toList();
    }

    /** What the tailnet's devices and routes say about B's nodes (§7.2, §7.4). */
    private static List<LinkView.Reason> tailnetHints(Side a, Side b, RouteCoverage tailnet) {
        List<LinkView.Reason> hints = new ArrayList<>();
        for (RouteCoverage.RouteToApprove r : tailnet.approve()) {
            hints.add(reason(
                    "SUBNET_ROUTE_NOT_APPROVED",
                    "route " + String.join(", ", r.add()) + " advertised by " + r.device() + " (covering nodes of "
                            + b.name() + ") is not approved"));
        }
        List<String> offline = tailnet.uncovered().stream()
                .map(RouteCoverage.NodePath::problem)
                .filter(p -> p != null && p.endsWith("is offline"))
                .distinct()
                .toList();
        if (!offline.isEmpty()) {
            hints.add(reason("TAILNET_DEVICE_OFFLINE", String.join("; ", offline)));
        }
        List<String> routed = tailnet.nodes().stream()
                .filter(n -> RouteCoverage.SUBNET_ROUTE.equals(n.path()))
                .map(n -> n.ip() + " (" + n.route() + " via " + n.device() + ")")
                .toList();
        if (!routed.isEmpty()) {
            hints.add(reason(
                    "ACCEPT_ROUTES_OFF",
                    "nodes of " + b.name() + " " + String.join(", ", routed) + " are inside approved routes"
                            + " of online routers, yet unreachable: the nodes of " + a.name()
                            + " must accept subnet routes (tailscale set --accept-routes)"));
        }
        return hints;
    }

    /** The §6 message, shortened to what a homelab user can do next. */
    static String remediation(Side a, Side b) {
        return remediation(a, b, null);
    }

    static String remediation(Side a, Side b, RouteCoverage tailnet) {
        List<String> remoteNets = NodeAddressClass.networks24(unroutedPrivate(b, tailnet));
        List<String> localNets = NodeAddressClass.networks24(a.nodes().stream()
                .filter(n -> NodeAddressClass.of(n.ip()) == NodeAddressClass.PRIVATE)
                .map(NodeAddress::ip)
                .toList());
        StringBuilder text = new StringBuilder();
        if (tailnet != null && !tailnet.approve().isEmpty()) {
            for (RouteCoverage.RouteToApprove r : tailnet.approve()) {
                text.append("approve ")
                        .append(String.join(", ", r.add()))
                        .append(" advertised by ")
                        .append(r.device())
                        .append(" (POST /api/v2/device/")
                        .append(r.deviceId())
                        .append("/routes {\"routes\": [")
                        .append(String.join(
                                ", ",
                                r.routes().stream()
                                        .map(route -> "\"" + route + "\"")
                                        .toList()))
                        .append("]}, or autoApprovers in the tailnet policy); ");
            }
            if (remoteNets.isEmpty()) {
                text.setLength(text.length() - 2);
            }
        }
        if (!remoteNets.isEmpty()) {
            text.append(b.name())
                    .append(" nodes ")
                    .append(String.join(", ", remoteNets))
                    .append(" are not routed from ")
                    .append(a.name())
                    .append(
                            ": advertise them from a Tailscale subnet router and approve the route, or run the nodes with tailnet addresses");
        } else if (text.isEmpty()) {
            text.append("nodes of ")
                    .append(b.name())
                    .append(" do not answer from ")
                    .append(a.name())
                    .append(": allow ")
                    .append(ports(a.config()))
                    .append(" to their node IPs");
        }
        if (!localNets.isEmpty()) {
            text.append("; ")
                    .append(a.name())
                    .append(" nodes ")
                    .append(String.join(", ", localNets))
                    .append(" must be routed from ")
                    .append(b.name())
                    .append(" the same way (replies go to node IPs)");
        }
        text.append(". Pods need every node to reach every remote node on ")
                .append(ports(a.config()))
                .append(" and TCP 4240 (health)");
        if (a.portForward() || b.portForward()) {
            text.append("; the router port-forward carries the control plane only");
        }
        return text.append('.').toString();
    }

    /** What the datapath sends between nodes (§1.3). */
    static String ports(CiliumConfig c) {
        List<String> ports = new ArrayList<>();
        if (c != null && c.wireguardEnabled()) {
            ports.add("UDP 51871 (WireGuard)");
        }
        if (c == null || c.tunnelProtocol() != null) {
            ports.add(c != null && "geneve".equals(c.tunnelProtocol()) ? "UDP 6081 (Geneve)" : "UDP 8472 (VXLAN)");
        } else {
            ports.add("pod IPs (native routing)");
        }
        return String.join(", ", ports);
    }

    /** WireGuard peers of the remote's nodes (§3.3): never handshaken, stale, or missing. Warnings next to the probes. */
    static List<LinkView.Reason> wireguardReasons(Side a, Side b, Instant now) {
        if (a.peers() == null || a.config() == null || !a.config().wireguardEnabled()) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        List<String> never = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (NodeAddress n : b.nodes()) {
            WireguardPeer peer = a.peers().stream()
                    .filter(p -> servesNode(p, n.ip()))
                    .findFirst()
                    .orElse(null);
            if (peer == null) {
                missing.add(n.name());
            } else if (peer.lastHandshakeTime() == null) {
                never.add(n.name());
            } else if (Duration.between(peer.lastHandshakeTime(), now).compareTo(HANDSHAKE_FRESH) > 0) {
                stale.add(n.name());
            }
        }
        List<LinkView.Reason> reasons = new ArrayList<>();
        if (!never.isEmpty()) {
            reasons.add(reason(
                    "WG_NO_HANDSHAKE",
                    "WireGuard peers " + String.join(", ", never) + " of " + b.name()
                            + " never completed a handshake"));
        }
        if (!stale.isEmpty()) {
            reasons.add(reason(
                    "WG_STALE",
                    "WireGuard peers " + String.join(", ", stale) + " of " + b.name()
                            + " stopped completing handshakes"));
        }
        if (!missing.isEmpty()) {
            reasons.add(reason(
                    "WG_PEER_MISSING", "no WireGuard peer for " + String.join(", ", missing) + " of " + b.name()));
        }
        return reasons;
    }

    /** Cilium configures {@code <node IP>:51871} and the node IP /32 (§1.2, §3.1); roaming may move the endpoint, the allowed IP stays. */
    private static boolean servesNode(WireguardPeer p, String ip) {
        return p.allowedIps().contains(ip + "/32")
                || (p.endpoint() != null && p.endpoint().startsWith(ip + ":"));
    }

    private static LinkView.DataPlane verdict(String state, List<LinkView.Reason> reasons, String remediation) {
        return new LinkView.DataPlane(state, ReadingSources.CILIUM_HEALTH, List.copyOf(reasons), remediation);
    }

    private static LinkView.Reason reason(String code, String message) {
        return new LinkView.Reason(code, message);
    }
}
