package io.clustermesh.controller.reachability;

/**
 * Why a pair cannot connect, in words an operator acts on, and what to do. One table for every
 * mode and result, so each reason is pinned by a named test case.
 */
final class FailureHints {
    /** A reason and what to do about it. */
    record Explanation(String reason, String hint) {}

    private FailureHints() {}

    static Explanation explain(ReachabilityMode mode, ProbeOutcome outcome, String to, String endpoint) {
        String detail = outcome.detail() == null ? "" : " (" + outcome.detail() + ")";
        switch (outcome.result()) {
            case OK:
                return new Explanation(null, null);
            case REFUSED:
                if (mode == ReachabilityMode.PORT_FORWARD) {
                    return new Explanation(
                            "forward missing on the router: " + endpoint + " refused the connection" + detail,
                            "add a TCP port-forward on " + to + "'s home router from " + endpoint
                                    + " to a node's LAN address and the clustermesh-apiserver NodePort");
                }
                return new Explanation(
                        "nothing listens at " + endpoint + ", or a firewall rejects the port" + detail,
                        "check that the clustermesh-apiserver Service of " + to
                                + " has endpoints and that no firewall rejects the port");
            case TIMEOUT:
                if (mode == ReachabilityMode.PORT_FORWARD) {
                    return new Explanation(
                            "forward missing on the router, or a firewall drops the port: no answer from " + endpoint
                                    + detail,
                            "check the port-forward on " + to
                                    + "'s home router and any firewall on the port (the provider may block inbound ports)");
                }
                if (mode == ReachabilityMode.TAILSCALE) {
                    return new Explanation(
                            "no answer over the tailnet from " + endpoint + detail,
                            "check the Tailscale operator's proxy for " + to + " and the tailnet ACLs for the port");
                }
                return new Explanation(
                        "firewall on the port: no answer from " + endpoint + detail,
                        "open the port in the firewall or security group in front of " + to);
            case TLS_ERROR:
                return tls(outcome.detail(), to, endpoint);
            case WRONG_CLUSTER:
                return new Explanation(
                        endpoint + " does not serve cluster " + to + detail,
                        mode == ReachabilityMode.PORT_FORWARD
                                ? "the router forwards to another cluster's NodePort: point the forward at " + to
                                        + "'s nodes"
                                : "the endpoint belongs to another cluster: fix the declared endpoint of " + to);
            case UNRESOLVED:
                return new Explanation(
                        endpoint + " does not resolve" + detail,
                        "check the DNS name (for a home router: its dynamic DNS client)");
            case NO_ENDPOINT:
                return new Explanation(
                        outcome.detail(),
                        "enable ClusterMesh on " + to + " (PUT /api/v1/clusters/" + to
                                + "/clustermesh) or declare its reachability endpoint");
            case UNKNOWN:
                return new Explanation(
                        "unknown from here: " + outcome.detail(),
                        "this service cannot dial " + endpoint
                                + " itself; the agents' own view of the link still counts, and a remote-side probe"
                                + " (POST /api/v1/reachability/probes with {\"remote\": true}) judges it from " + to
                                + "'s peers");
            case DEVICE_OFFLINE:
                return new Explanation(
                        "device offline" + detail,
                        "check the Tailscale operator's proxy Pod for " + to + " and its tailscaled logs");
            case KEY_EXPIRED:
                return new Explanation(
                        "key expired" + detail,
                        "re-authenticate the device or disable key expiry for it in the Tailscale admin console");
            default:
                return new Explanation(outcome.result() + detail, "see the probe's checks for the failing step");
        }
    }

    private static Explanation tls(String detail, String to, String endpoint) {
        String d = detail == null ? "" : detail;
        if (d.contains("unknown authority")) {
            return new Explanation(
                    "wrong CA: " + endpoint + " presents a certificate not signed by the mesh CA of " + to,
                    "the endpoint serves another clustermesh-apiserver, or the CA changed: re-run enable on " + to
                            + " and connect again");
        }
        if (d.contains("hostname mismatch")) {
            return new Explanation(
                    "the server certificate does not name the host dialled (" + d + ")",
                    "re-run enable on " + to + " so its server certificate covers the declared endpoint");
        }
        if (d.contains("expired") || d.contains("not yet valid")) {
            return new Explanation(
                    "the server certificate of " + to + " "
                            + (d.contains("expired") ? "has expired" : "is not yet valid"),
                    "rotate the ClusterMesh certificates of " + to + " (POST /api/v1/clusters/" + to
                            + "/certificates/rotations)");
        }
        if (d.contains("rejected our client certificate")) {
            return new Explanation(
                    "wrong CA: " + to + " rejected the client certificate (" + d + ")",
                    "the clusters use different CAs: connect them again so each holds the other's client certificate");
        }
        return new Explanation("TLS failed: " + d, "check the ClusterMesh certificates of " + to);
    }
}
