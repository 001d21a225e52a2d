package io.clustermesh.controller.cilium;

/**
 * Where a link reading came from, as the API's {@code source} fields name it: which Cilium
 * endpoint or command answered (contract §7.1 step 6, §8; dataplane.md §2.1).
 */
public final class ReadingSources {
    private ReadingSources() {}

    /** The agents' Prometheus metrics (:9962). */
    public static final String AGENT_METRICS = "metrics";
    /** {@code cilium-dbg status -o json} in each agent. */
    public static final String AGENT_STATUS = "agent-status";
    /** The kvstoremesh container's metrics. */
    public static final String KVSTOREMESH_METRICS = "kvstoremesh-metrics";
    /** {@code kvstoremesh-dbg status -o json} in the kvstoremesh container. */
    public static final String KVSTOREMESH_STATUS = "kvstoremesh-status";
    /** {@code cilium-health status -o json}: the agents' own node-to-node probes. */
    public static final String CILIUM_HEALTH = "cilium-health";
}
