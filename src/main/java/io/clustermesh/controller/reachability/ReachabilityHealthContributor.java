package io.clustermesh.controller.reachability;

import io.clustermesh.controller.health.spi.BackgroundRefresh;
import io.clustermesh.controller.health.spi.Check;
import io.clustermesh.controller.health.spi.Contribution;
import io.clustermesh.controller.health.spi.HealthContributor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * Puts the latest reachability matrix into mesh health, one check per link direction. Probing can
 * take longer than a health refresh may wait, so a stale matrix is refreshed in the background and
 * health reads what the previous round found.
 */
@ApplicationScoped
public class ReachabilityHealthContributor implements HealthContributor {
    static final String CHECK = "reachability";

    private final ReachabilityService reachability;
    private final ReachabilityConfig config;
    private final Clock clock;
    private final BackgroundRefresh probing = new BackgroundRefresh("reachability probe");
    private volatile ReachabilityMatrix contributed;

    public ReachabilityHealthContributor(ReachabilityService reachability, ReachabilityConfig config, Clock clock) {
        this.reachability = reachability;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return CHECK;
    }

    @Override
    public Contribution contribute() {
        var latest = reachability.latest();
        contributed = latest.orElse(null);
        if (latest.isEmpty() || latest.get().checkedAt().plus(config.maxAge()).isBefore(clock.instant())) {
            probing.trigger(reachability::matrix);
        }
        return latest.map(matrix -> new Contribution(List.of(), directionChecks(matrix), List.of(), List.of()))
                .orElse(Contribution.none());
    }

    @Override
    public Object contributed() {
        return contributed;
    }

    /** The verdicts of the latest matrix (not its latencies): a new one after a probe changed any of them. */
    @Override
    public String signature() {
        return reachability
                .latest()
                .map(m -> Integer.toHexString(m.pairs().stream()
                        .map(e -> e.from() + '|' + e.to() + '|' + e.vantage() + '|' + e.result())
                        .toList()
                        .hashCode()))
                .orElse("");
    }

    static List<Contribution.DirectionCheck> directionChecks(ReachabilityMatrix matrix) {
        return matrix.pairs().stream()
                // A pair without an endpoint is a cluster without ClusterMesh: no link to judge. A pair
                // this service could not dial says nothing about the link either way.
                .filter(entry -> entry.result() != ProbeVerdict.NO_ENDPOINT && entry.result() != ProbeVerdict.UNKNOWN)
                .map(entry ->
                        new Contribution.DirectionCheck(entry.from(), entry.to(), check(entry), entry.latencyMs()))
                .toList();
    }

    private static Check check(ReachabilityEntry entry) {
        String where = entry.endpoint() == null ? entry.to() : entry.endpoint();
        if (entry.ok()) {
            String path = entry.path() == null ? "" : " (" + entry.path() + ")";
            return Check.ok(CHECK, entry.to() + " answers at " + where + path);
        }
        String reason = entry.reason() == null ? entry.result().value() : entry.reason();
        return Check.failing(CHECK, entry.result() + " dialling " + where + ": " + reason, entry.hint());
    }
}
