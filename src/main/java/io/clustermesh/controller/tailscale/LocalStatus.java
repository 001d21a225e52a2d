package io.clustermesh.controller.tailscale;

import java.util.List;
import java.util.Optional;

/**
 * {@code GET /localapi/v0/status} (§8). {@code peers} is empty when asked without peers.
 * {@code health} lists tailscaled's current problems (empty = fine).
 */
public record LocalStatus(
        String version,
        String backendState,
        List<String> tailscaleIps,
        PeerStatus self,
        List<PeerStatus> peers,
        List<String> health,
        String magicDnsSuffix) {

    public LocalStatus {
        tailscaleIps = List.copyOf(tailscaleIps);
        peers = List.copyOf(peers);
        health = List.copyOf(health);
    }

    public boolean running() {
        return "Running".equals(backendState);
    }

    /** By OS host name, MagicDNS name (with or without dot), stable node id or tailnet IP. */
    public Optional<PeerStatus> peer(String nameIdOrIp) {
        String wanted = nameIdOrIp.endsWith(".") ? nameIdOrIp.substring(0, nameIdOrIp.length() - 1) : nameIdOrIp;
        return peers.stream()
                .filter(p -> p.hostName().equals(wanted)
                        || p.fqdn().equals(wanted)
                        || p.id().equals(wanted)
                        || p.tailscaleIps().contains(wanted))
                .findFirst();
    }
}
