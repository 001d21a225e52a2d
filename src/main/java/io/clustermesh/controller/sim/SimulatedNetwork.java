package io.clustermesh.controller.sim;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
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

    private SimulatedNetwork() {
    }

    static void join(SimulatedCluster cluster) {
        CLUSTERS.put(cluster.name(), cluster);
        changed();
    }

    static void leave(SimulatedCluster cluster) {
        CLUSTERS.remove(cluster.name(), cluster);
        changed();
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

    /** Who answers a TCP connection to {@code host:port}, as seen from another cluster. */
    static Optional<SimulatedCluster> dial(String host, int port) {
        return CLUSTERS.values().stream().filter(c -> c.answersAt(host, port)).findFirst();
    }
}
