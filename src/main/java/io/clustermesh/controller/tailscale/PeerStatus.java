package io.clustermesh.controller.tailscale;

import java.time.Instant;
import java.util.List;

/**
 * One node in LocalAPI status (§8), ours ({@code Self}) or a peer. Zero times are null.
 * {@code relay} is the peer's home DERP region code, set even when traffic goes direct.
 */
public record PeerStatus(
        String id,
        long nodeId,
        String publicKey,
        String hostName,
        String dnsName,
        String os,
        List<String> tailscaleIps,
        List<String> allowedIps,
        List<String> tags,
        List<String> primaryRoutes,
        String curAddr,
        String relay,
        String peerRelay,
        long rxBytes,
        long txBytes,
        Instant lastWrite,
        Instant lastSeen,
        Instant lastHandshake,
        boolean online,
        boolean active,
        boolean expired,
        Instant keyExpiry) {

    public PeerStatus {
        tailscaleIps = List.copyOf(tailscaleIps);
        allowedIps = List.copyOf(allowedIps);
        tags = List.copyOf(tags);
        primaryRoutes = List.copyOf(primaryRoutes);
    }

    /** MagicDNS name without the trailing dot, comparable with API v2 {@code name} (§3, §8). */
    public String fqdn() {
        return dnsName.endsWith(".") ? dnsName.substring(0, dnsName.length() - 1) : dnsName;
    }

    /**
     * §10: only meaningful while {@code active}; direct when {@code CurAddr} is set, else peer
     * relay, else DERP via the peer's home region.
     */
    public PeerPath path() {
        if (!active) {
            return new PeerPath.Unknown(online ? "idle: no traffic recently" : "offline");
        }
        if (!curAddr.isEmpty()) {
            return new PeerPath.Direct(curAddr);
        }
        if (!peerRelay.isEmpty()) {
            return new PeerPath.PeerRelay(peerRelay);
        }
        if (!relay.isEmpty()) {
            return new PeerPath.Derp(relay, 0);
        }
        return new PeerPath.Unknown("active but neither a direct address nor a relay is reported");
    }
}
