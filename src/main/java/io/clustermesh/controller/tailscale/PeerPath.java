package io.clustermesh.controller.tailscale;

/** How packets to a peer travel right now (§10). */
public sealed interface PeerPath {

    /** Direct UDP to {@code endpoint} ({@code ip:port}): hole punching worked. */
    record Direct(String endpoint) implements PeerPath {}

    /**
     * Relayed through a DERP server. {@code regionCode} like {@code fra}; {@code regionId} is 0
     * when only the code is known (status gives codes, ping gives both, §9).
     */
    record Derp(String regionCode, int regionId) implements PeerPath {}

    /** Through a Tailscale peer relay ({@code ip:port:vni:N}); not in our brief, but §10 lists it. */
    record PeerRelay(String relay) implements PeerPath {}

    /** Idle peer (no traffic for ~2 min) or no path information: run a disco ping (§10). */
    record Unknown(String reason) implements PeerPath {}
}
