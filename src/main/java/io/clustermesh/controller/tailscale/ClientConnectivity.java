package io.clustermesh.controller.tailscale;

import java.util.List;
import java.util.Map;

/**
 * The device's last network report (§3 {@code clientConnectivity}). {@code mappingVariesByDestIP}
 * is null when the client did not report it (U).
 */
public record ClientConnectivity(
        List<String> endpoints,
        String derp,
        Boolean mappingVariesByDestIP,
        Map<String, DerpLatency> latency,
        ClientSupports clientSupports) {

    public ClientConnectivity {
        endpoints = List.copyOf(endpoints);
        latency = Map.copyOf(latency);
    }

    /** Latency to one DERP region, keyed by region name in {@link #latency()}. */
    public record DerpLatency(double latencyMs, boolean preferred) {}

    /** Each flag is null when unknown; {@code hairPinning} is always null nowadays (§3). */
    public record ClientSupports(
            Boolean hairPinning, Boolean ipv6, Boolean pcp, Boolean pmp, Boolean udp, Boolean upnp) {

        /** {@code udp: false} means DERP only (§10). */
        public boolean udpBlocked() {
            return Boolean.FALSE.equals(udp);
        }

        /** UPnP, NAT-PMP or PCP on the router can open a port even behind hard NAT (§3). */
        public boolean portMappingAvailable() {
            return Boolean.TRUE.equals(upnp) || Boolean.TRUE.equals(pmp) || Boolean.TRUE.equals(pcp);
        }
    }
}
