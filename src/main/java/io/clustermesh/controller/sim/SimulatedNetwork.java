package io.clustermesh.controller.sim;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network between simulated clusters: which cluster answers at which address. A homelab
 * behind NAT answers only at its router's forwarded port; its node addresses are private.
 */
final class SimulatedNetwork {
    /** The home router's public address (documentation range: never routed for real). */
    static final String HOME_ROUTER_PUBLIC_IP = "198.51.100.200";

    private static final Map<String, SimulatedCluster> CLUSTERS = new ConcurrentHashMap<>();
    /**
     * Moves on after anything a dial or an agent's verdict depends on has changed: a cluster
     * joining or leaving, a cluster's view, a fault. Whatever is derived from the network (the
     * agents' metrics pages) is valid for as long as this stays the same.
     */
    private static final java.util.concurrent.atomic.AtomicLong EPOCH = new java.util.concurrent.atomic.AtomicLong();

    private SimulatedNetwork() {}

    static void join(SimulatedCluster cluster) {
        CLUSTERS.put(cluster.name(), cluster);
        changed();
    }

    static void leave(SimulatedCluster cluster) {
        CLUSTERS.remove(cluster.name(), cluster);
        changed();
        if (CLUSTERS.isEmpty()) {
            SimulatedNetworkEndpoint.stop();
        }
    }

    /** Call after the change is visible, so that whoever reads the new epoch also sees the new state. */
    static void changed() {
        EPOCH.incrementAndGet();
    }

    static long epoch() {
        return EPOCH.get();
    }

    static Optional<SimulatedCluster> cluster(String name) {
        return Optional.ofNullable(CLUSTERS.get(name));
    }

    static Collection<SimulatedCluster> clusters() {
        return CLUSTERS.values();
    }

    /** The cluster an outside address belongs to, whether or not anything answers there. */
    static Optional<SimulatedCluster> owner(String host) {
        return CLUSTERS.values().stream().filter(c -> c.ownsAddress(host)).findFirst();
    }

    /** Approved Tailscale subnet routes (CIDRs) every simulated node accepts. */
    private static final Set<String> SUBNET_ROUTES = new java.util.concurrent.ConcurrentSkipListSet<>();

    static Set<String> subnetRoutes() {
        return Set.copyOf(SUBNET_ROUTES);
    }

    /** A Tailscale subnet router advertises {@code cidr} and the route is approved; every node accepts routes. */
    static void addSubnetRoute(String cidr) {
        SUBNET_ROUTES.add(cidr);
        changed();
    }

    static void removeSubnetRoute(String cidr) {
        SUBNET_ROUTES.remove(cidr);
        changed();
    }

    static void clearSubnetRoutes() {
        SUBNET_ROUTES.clear();
        changed();
    }

    /** What Cilium's probes from one node to a node of another cluster find (contract dataplane.md §2.2). */
    record NodePath(boolean host, boolean endpoint) {}

    /**
     * The path between two nodes of different clusters, as a round trip (a probe's reply goes to
     * the prober's node IP, §2.4). Cilium dials InternalIPs (§1.2): a public one is reachable, the
     * cloud clusters' private VPC ranges are peered with each other, and anything else only
     * through an approved subnet route that is not withdrawn. WireGuard blocked on either side
     * leaves the node IPs answering but no pod path; overlapping pod CIDRs break the pod path too.
     */
    static NodePath path(
            SimulatedCluster a,
            SimulatedClusterSpec.SimulatedNode an,
            SimulatedCluster b,
            SimulatedClusterSpec.SimulatedNode bn) {
        boolean routed = routes(a, b, bn) && routes(b, a, an);
        boolean wireguard = a.wireguardOn() && b.wireguardOn();
        boolean blocked = wireguard
                && (a.faults().contains(SimulatedFault.WIREGUARD_BLOCKED)
                        || b.faults().contains(SimulatedFault.WIREGUARD_BLOCKED));
        boolean overlap = a.faults().contains(SimulatedFault.POD_CIDR_OVERLAP)
                || b.faults().contains(SimulatedFault.POD_CIDR_OVERLAP);
        return new NodePath(routed, routed && !blocked && !overlap);
    }

    private static boolean routes(
            SimulatedCluster from, SimulatedCluster to, SimulatedClusterSpec.SimulatedNode target) {
        String ip = target.internalIp();
        if (io.clustermesh.controller.cilium.NodeAddressClass.of(ip)
                == io.clustermesh.controller.cilium.NodeAddressClass.PUBLIC) {
            return true;
        }
        if (!from.behindNat() && !to.behindNat()) {
            return true;
        }
        if (to.faults().contains(SimulatedFault.ROUTE_WITHDRAWN)) {
            return false;
        }
        return SUBNET_ROUTES.stream()
                .anyMatch(cidr -> io.clustermesh.controller.cilium.NodeAddressClass.contains(cidr, ip));
    }

    /** Who answers a TCP connection to {@code host:port}, as seen from another cluster. */
    static Optional<SimulatedCluster> dial(String host, int port) {
        return CLUSTERS.values().stream().filter(c -> c.answersAt(host, port)).findFirst();
    }
}
