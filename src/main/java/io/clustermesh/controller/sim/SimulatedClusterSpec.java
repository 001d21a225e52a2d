package io.clustermesh.controller.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of one simulated cluster: its Cilium identity, its nodes and whether it sits behind NAT.
 *
 * @param validateApiServerStartup whether the simulated clustermesh-apiserver starts only when its argv would
 * @param agentMetrics             whether the release sets {@code prometheus.enabled=true}: only then does
 *                                 cilium-config carry {@code prometheus-serve-addr} and the agents serve :9962
 *                                 (the chart default is off)
 */
record SimulatedClusterSpec(
        String name,
        int clusterId,
        boolean behindNat,
        List<SimulatedNode> nodes,
        String ciliumVersion,
        String podCidr,
        boolean validateApiServerStartup,
        boolean agentMetrics) {
    /** What the demo's clusters run unless configured otherwise ({@code mesh.simulator.cilium-version}). */
    static final String DEFAULT_CILIUM_VERSION = "1.18.2";

    record SimulatedNode(String name, String internalIp, String externalIp) {}

    /** Index 0 is the homelab behind a home router, 1 the cloud cluster, the rest are extra cloud clusters. */
    static SimulatedClusterSpec forIndex(int index) {
        int id = index + 1;
        if (index == 0) {
            return new SimulatedClusterSpec(
                    "homelab",
                    id,
                    true,
                    List.of(
                            new SimulatedNode("homelab-node-1", "192.168.1.21", null),
                            new SimulatedNode("homelab-node-2", "192.168.1.22", null)),
                    DEFAULT_CILIUM_VERSION,
                    "10.1.0.0/16",
                    true,
                    true);
        }
        String name = index == 1 ? "cloud" : String.format("sim-%02d", id);
        int nodeCount = index == 1 ? 3 : 2;
        List<SimulatedNode> nodes = new ArrayList<>();
        for (int n = 1; n <= nodeCount; n++) {
            // 198.51.100.0/24 and 203.0.113.0/24 are documentation ranges: never routed anywhere.
            String external = index == 1 ? "203.0.113." + (10 + n) : "198.51.100." + ((id * 3 + n) % 250 + 1);
            nodes.add(new SimulatedNode(name + "-node-" + n, "172.31." + (id % 250) + "." + (10 + n), external));
        }
        return new SimulatedClusterSpec(
                name, id, false, nodes, DEFAULT_CILIUM_VERSION, "10." + (id % 250) + ".0.0/16", true, true);
    }

    SimulatedClusterSpec withCiliumVersion(String version) {
        return new SimulatedClusterSpec(
                name, clusterId, behindNat, nodes, version, podCidr, validateApiServerStartup, agentMetrics);
    }

    SimulatedClusterSpec withApiServerStartupValidation(boolean on) {
        return new SimulatedClusterSpec(name, clusterId, behindNat, nodes, ciliumVersion, podCidr, on, agentMetrics);
    }

    /** The same cluster installed with the chart's default {@code prometheus.enabled=false}. */
    SimulatedClusterSpec withoutAgentMetrics() {
        return new SimulatedClusterSpec(
                name, clusterId, behindNat, nodes, ciliumVersion, podCidr, validateApiServerStartup, false);
    }
}
