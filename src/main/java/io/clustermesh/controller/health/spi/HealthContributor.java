package io.clustermesh.controller.health.spi;

/**
 * Lets another capability add its findings to mesh health without health knowing about it.
 * <p>
 * Implement it as an {@code @ApplicationScoped} bean; {@code HealthService} collects every
 * implementation with {@code Instance<HealthContributor>} and calls {@link #contribute} once per
 * background refresh (never on a request), in parallel with the built-in checks and with the
 * other contributors, under the per-cluster deadline ({@code mesh.client.per-cluster-deadline}).
 * A contributor that throws or is late is left out of that refresh and logged; it never breaks
 * or delays the rest of the report. Keep it cheap: serve from your own cache when you can (the
 * reachability prober has its own schedule, for instance) rather than probing here.
 * <p>
 * What a {@link Contribution} can carry, and what health does with it:
 * <ul>
 *   <li>{@link Contribution.ClusterCheck}: a check appended to that cluster's checks; a warning or
 *       failing check makes the cluster {@code degraded} (contributors cannot declare a cluster
 *       {@code down}: that is reserved for an unreachable API).</li>
 *   <li>{@link Contribution.DirectionCheck}: a check on the direction {@code from → to} of a link,
 *       e.g. the reachability probe. A failing one makes the link at least {@code degraded} and its
 *       reason is added to the link's reason; its {@code latencyMs} feeds the
 *       {@code clustermesh_probe_latency_seconds} histogram and the link's {@code latencyMs}.</li>
 *   <li>{@link Expiry}: listed under {@code expiries} (WireGuard key rotation due, Tailscale key
 *       expiry).</li>
 *   <li>{@link Contribution.KeyAge}: exported as {@code clustermesh_wireguard_key_age_seconds{cluster,node}}.</li>
 * </ul>
 * Cluster names are those of {@code ClusterRegistry}. Never put secrets in reasons or hints.
 */
public interface HealthContributor {

    /** A short name for logs, e.g. {@code reachability} or {@code wireguard}. */
    String name();

    Contribution contribute();

    /**
     * What the last {@link #contribute} was based on, as a reader should see it next to the report
     * (the reachability matrix); served under this contributor's name in
     * {@code GET /api/v1/snapshot}, so the page never shows a matrix the health did not judge.
     * Called right after the refresh that called {@link #contribute}; null when there is none.
     */
    default Object contributed() {
        return null;
    }

    /**
     * A cheap, in-memory digest of what {@link #contribute} would be based on now (no cluster call):
     * health compares it every {@code mesh.health.watch-check-interval} and recomputes at once when
     * it changed, as it does for what the watches saw. Empty when the contributor has nothing newer
     * to report than the schedule would bring.
     */
    default String signature() {
        return "";
    }
}
