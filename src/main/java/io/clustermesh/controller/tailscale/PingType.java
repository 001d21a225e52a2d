package io.clustermesh.controller.tailscale;

/** The {@code type} query parameter of LocalAPI ping (§9); spelled exactly as tailscaled wants. */
public enum PingType {
    /** magicsock path probe: the one that tells direct from DERP. */
    DISCO("disco"),
    /** Through WireGuard, no OS stack; no path fields in the answer. */
    TSMP("TSMP"),
    ICMP("ICMP"),
    PEERAPI("peerapi");

    private final String wire;

    PingType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
