package io.clustermesh.controller.sim;

import java.util.Locale;

/** Faults the demo can inject into one simulated cluster ({@code POST /api/v1/sim/faults}). */
public enum SimulatedFault {
    /** The Kubernetes API answers 503 to everything. */
    APISERVER_DOWN,
    /** Connections to the cluster hang: nothing answers, nothing refuses. */
    BLACKHOLE,
    /** The home router's port-forward to the clustermesh NodePort is gone. */
    PORT_FORWARD_REMOVED,
    /**
     * The second node's agent crash-loops: kubelet restarts its container in place, so the pod stays
     * but is not Ready (CrashLoopBackOff) and answers neither exec nor metrics; a pod deleted
     * meanwhile is not recreated until the fault is healed.
     */
    AGENT_CRASH,
    /** The second node's agent pod, once deleted (a restart), never comes back; until then it runs normally. */
    AGENT_RESTART_STUCK,
    /** The Tailscale subnet route to this cluster's nodes is withdrawn: their private node IPs are unrouted again. */
    ROUTE_WITHDRAWN,
    /** UDP 51871 to and from this cluster's nodes is dropped: node IPs answer, WireGuard (the pod path) does not. */
    WIREGUARD_BLOCKED,
    /** This cluster's cilium-config pod CIDR becomes the chart default 10.0.0.0/8, which overlaps every other cluster. */
    POD_CIDR_OVERLAP;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SimulatedFault parse(String label) {
        for (SimulatedFault fault : values()) {
            if (fault.label().equals(label)) {
                return fault;
            }
        }
        return null;
    }
}
