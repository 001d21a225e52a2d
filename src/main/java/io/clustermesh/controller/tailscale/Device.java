package io.clustermesh.controller.tailscale;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device as API v2 reports it (§3). {@code lastSeen} is null while the device is connected
 * (the API omits it then); {@code expires} is null when the key never expires (the API's
 * {@code 0001-01-01} sentinel). {@code clientConnectivity}, {@code advertisedRoutes} and
 * {@code enabledRoutes} come only with {@code fields=all}; without it they are null / empty.
 */
public record Device(
        String id,
        String nodeId,
        String name,
        String hostname,
        List<String> addresses,
        List<String> tags,
        String os,
        String clientVersion,
        boolean connectedToControl,
        Instant lastSeen,
        Instant expires,
        boolean keyExpiryDisabled,
        boolean authorized,
        List<String> advertisedRoutes,
        List<String> enabledRoutes,
        ClientConnectivity clientConnectivity) {

    public Device {
        addresses = List.copyOf(addresses);
        tags = List.copyOf(tags);
        advertisedRoutes = List.copyOf(advertisedRoutes);
        enabledRoutes = List.copyOf(enabledRoutes);
    }

    /** API v2 has no {@code online} field; holding the control connection is the signal (§3). */
    public boolean online() {
        return connectedToControl;
    }

    /**
     * Endpoint-dependent NAT mapping (§10). False when unknown (field absent or null, U), so
     * callers never plan for DERP on a guess.
     */
    public boolean hardNat() {
        return clientConnectivity != null && Boolean.TRUE.equals(clientConnectivity.mappingVariesByDestIP());
    }

    /**
     * Home DERP region name ({@code "Frankfurt"}), from the {@code latency} entry marked
     * preferred: {@code clientConnectivity.derp} is usually empty (§3, U).
     */
    public Optional<String> preferredDerpRegion() {
        if (clientConnectivity == null) {
            return Optional.empty();
        }
        return clientConnectivity.latency().entrySet().stream()
                .filter(e -> e.getValue().preferred())
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** True when the node key will have expired {@code window} from now (§6); never when disabled. */
    public boolean keyExpiresWithin(Duration window, Clock clock) {
        if (keyExpiryDisabled || expires == null) {
            return false;
        }
        return expires.isBefore(clock.instant().plus(window));
    }

    public boolean isRouteEnabled(String cidr) {
        return enabledRoutes.contains(cidr);
    }
}
