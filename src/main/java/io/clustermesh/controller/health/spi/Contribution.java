package io.clustermesh.controller.health.spi;

import java.time.Duration;
import java.util.List;

/** What one {@link HealthContributor} adds to a refresh; see there for how each part is used. */
public record Contribution(
        List<ClusterCheck> clusterChecks,
        List<DirectionCheck> directionChecks,
        List<Expiry> expiries,
        List<KeyAge> keyAges) {

    public Contribution {
        clusterChecks = List.copyOf(clusterChecks);
        directionChecks = List.copyOf(directionChecks);
        expiries = List.copyOf(expiries);
        keyAges = List.copyOf(keyAges);
    }

    public static Contribution none() {
        return new Contribution(List.of(), List.of(), List.of(), List.of());
    }

    public record ClusterCheck(String cluster, Check check) {}

    /** {@code latencyMs} may be null when the check measured none. */
    public record DirectionCheck(String from, String to, Check check, Double latencyMs) {}

    public record KeyAge(String cluster, String node, Duration age) {}
}
