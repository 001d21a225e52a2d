package io.clustermesh.controller.wireguard;

import io.clustermesh.controller.config.RotationConfig;
import io.clustermesh.controller.health.spi.BackgroundRefresh;
import io.clustermesh.controller.health.spi.Check;
import io.clustermesh.controller.health.spi.Contribution;
import io.clustermesh.controller.health.spi.Expiry;
import io.clustermesh.controller.health.spi.HealthContributor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * WireGuard node key ages in mesh health: a warning per cluster with keys past the policy, and
 * when each key falls due. Reading the keys fans out to every cluster, so a dead cluster would
 * make this contributor as late as its deadline and health would drop it for everyone: it
 * answers from the previous reading and refreshes in the background instead.
 */
@ApplicationScoped
public class WireGuardHealthContributor implements HealthContributor {
    static final String CHECK = "wireguard-key-age";

    private final WireGuardRotationService wireGuard;
    private final RotationConfig config;
    private final Clock clock;
    private final AtomicReference<List<WireGuardRotationService.NodeKeyAge>> latest = new AtomicReference<>();
    private final BackgroundRefresh reading = new BackgroundRefresh("reading of WireGuard key ages");

    public WireGuardHealthContributor(WireGuardRotationService wireGuard, RotationConfig config, Clock clock) {
        this.wireGuard = wireGuard;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "wireguard";
    }

    @Override
    public Contribution contribute() {
        reading.trigger(() -> latest.set(wireGuard.keyAges()));
        List<WireGuardRotationService.NodeKeyAge> keys = latest.get();
        return keys == null ? Contribution.none() : contribution(keys, config.wireguardMaxAge(), clock);
    }

    static Contribution contribution(List<WireGuardRotationService.NodeKeyAge> keys, Duration maxAge, Clock clock) {
        List<Contribution.KeyAge> ages = new ArrayList<>();
        List<Expiry> expiries = new ArrayList<>();
        Map<String, List<WireGuardRotationService.NodeKeyAge>> byCluster = new LinkedHashMap<>();
        for (var key : keys) {
            byCluster.computeIfAbsent(key.cluster(), c -> new ArrayList<>()).add(key);
            if (key.keySince() != null) {
                ages.add(new Contribution.KeyAge(
                        key.cluster(), key.node(), Duration.between(key.keySince(), clock.instant())));
                Instant due = key.keySince().plus(maxAge);
                expiries.add(Expiry.of("WireGuard key of " + key.node(), key.cluster(), due, due, clock));
            }
        }
        List<Contribution.ClusterCheck> checks = new ArrayList<>();
        byCluster.forEach(
                (cluster, nodes) -> checks.add(new Contribution.ClusterCheck(cluster, check(cluster, nodes, maxAge))));
        return new Contribution(checks, List.of(), expiries, ages);
    }

    private static Check check(String cluster, List<WireGuardRotationService.NodeKeyAge> nodes, Duration maxAge) {
        List<String> problems = nodes.stream()
                .filter(n -> n.problem() != null)
                .map(n -> n.node() + ": " + n.problem())
                .toList();
        if (!problems.isEmpty()) {
            return Check.warning(
                    CHECK,
                    String.join("; ", problems),
                    "GET /api/v1/clusters/" + cluster + "/wireguard shows each node's key");
        }
        List<String> due = nodes.stream()
                .filter(WireGuardRotationService.NodeKeyAge::due)
                .map(WireGuardRotationService.NodeKeyAge::node)
                .toList();
        if (!due.isEmpty()) {
            return Check.warning(
                    CHECK,
                    due.size() + " node key(s) older than " + maxAge.toDays() + " days: " + String.join(", ", due),
                    "rotate them: POST /api/v1/clusters/" + cluster + "/wireguard/rotations");
        }
        return Check.ok(CHECK, nodes.size() + " node keys within " + maxAge.toDays() + " days");
    }
}
