package io.clustermesh.controller.tailscale;

import java.time.Duration;

/**
 * One LocalAPI ping (§9). {@code error} non-empty = failed (e.g. {@code no matching peer});
 * then {@code latency} is zero and the path fields are empty.
 */
public record PingResult(
        String ip,
        String nodeIp,
        String nodeName,
        String error,
        Duration latency,
        String endpoint,
        String peerRelay,
        int derpRegionId,
        String derpRegionCode,
        boolean localIp) {

    public boolean succeeded() {
        return error.isEmpty();
    }

    /** §10: endpoint set = direct; DERP region set = relayed; TSMP/ICMP pings fill neither. */
    public PeerPath path() {
        if (!succeeded()) {
            return new PeerPath.Unknown(error);
        }
        if (!endpoint.isEmpty()) {
            return new PeerPath.Direct(endpoint);
        }
        if (!peerRelay.isEmpty()) {
            return new PeerPath.PeerRelay(peerRelay);
        }
        if (derpRegionId != 0 || !derpRegionCode.isEmpty()) {
            return new PeerPath.Derp(derpRegionCode, derpRegionId);
        }
        return new PeerPath.Unknown("ping type reports no path");
    }
}
