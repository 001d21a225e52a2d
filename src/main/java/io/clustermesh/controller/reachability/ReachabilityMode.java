package io.clustermesh.controller.reachability;

import io.clustermesh.controller.problems.ProblemException;
import java.util.Locale;

/** How other clusters reach a cluster's clustermesh-apiserver. */
public enum ReachabilityMode {
    /** The Service's LoadBalancer address or a node address + NodePort (Cilium contract §4). */
    DIRECT,
    /** A declared public {@code host:port} the home router forwards to the NodePort. */
    PORT_FORWARD,
    /** The Service exposed on the tailnet by the Tailscale operator (Tailscale contract §11). */
    TAILSCALE;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Unknown labels are a configuration mistake, reported against {@code field}. */
    public static ReachabilityMode parse(String label, String field) {
        if (label == null || label.isBlank()) {
            return DIRECT;
        }
        for (ReachabilityMode mode : values()) {
            if (mode.label().equals(label.trim())) {
                return mode;
            }
        }
        throw ProblemException.invalid(
                field, "reachability mode '" + label + "' is not one of direct, port-forward, tailscale");
    }
}
