package io.clustermesh.controller.health;

import io.clustermesh.controller.health.spi.CheckStatus;
import io.clustermesh.controller.mesh.MeshCertificate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus metrics from each refresh. Labels are cluster, node and Secret names and link
 * directions only: bounded by the mesh's size, never a reason text or anything secret. Rows of
 * links, certificates and keys that disappear are dropped at the next refresh.
 */
final class HealthMetrics {
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
    };

    private final MeterRegistry registry;
    private final Clock clock;
    private final MultiGauge linkUp;
    private final MultiGauge dataPlaneUp;
    private final MultiGauge clusterUp;
    private final MultiGauge certificateExpiry;
    private final MultiGauge keyAge;
    private final AtomicInteger status = new AtomicInteger(HealthStatus.DOWN.exitCode());
    private final AtomicReference<Instant> lastCheckSuccess = new AtomicReference<>();

    HealthMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        linkUp = MultiGauge.builder("clustermesh.link.up")
                .description(
                        "1 when the agents of cluster 'from' are ready for cluster 'to' and no probe fails, else 0")
                .register(registry);
        dataPlaneUp = MultiGauge.builder("clustermesh.link.dataplane.up")
                .description(
                        "1 when the agents of cluster 'from' reach the pods of every node of cluster 'to' (cilium-health), else 0;"
                                + " 0 with clustermesh_link_up 1 is a control-plane-only link")
                .register(registry);
        clusterUp = MultiGauge.builder("clustermesh.cluster.up")
                .description("1 when the cluster's API answers")
                .register(registry);
        certificateExpiry = MultiGauge.builder("clustermesh.certificate.expiry")
                .baseUnit("seconds")
                .description("Seconds until the ClusterMesh certificate expires (negative once expired)")
                .register(registry);
        keyAge = MultiGauge.builder("clustermesh.wireguard.key.age")
                .baseUnit("seconds")
                .description("Age of the node's WireGuard key")
                .register(registry);
        Gauge.builder("clustermesh.health.status", status, AtomicInteger::get)
                .description("Mesh health: 0 healthy, 1 control-plane-only or degraded, 2 down")
                .register(registry);
        Gauge.builder(
                        "clustermesh.check.last.success.timestamp",
                        lastCheckSuccess,
                        r -> r.get() == null ? Double.NaN : r.get().getEpochSecond())
                .baseUnit("seconds")
                .description("When a one-shot check last reported a healthy mesh (Unix time)")
                .register(registry);
    }

    void update(Evaluation evaluation) {
        status.set(evaluation.report().status().exitCode());
        List<MultiGauge.Row<?>> links = new ArrayList<>();
        List<MultiGauge.Row<?>> dataPlanes = new ArrayList<>();
        for (var d : evaluation.directions()) {
            links.add(MultiGauge.Row.of(Tags.of("from", d.from(), "to", d.to()), d.up() ? 1 : 0));
            dataPlanes.add(MultiGauge.Row.of(Tags.of("from", d.from(), "to", d.to()), d.dataPlaneUp() ? 1 : 0));
            if (d.latencyMs() != null) {
                Timer.builder("clustermesh.probe.latency")
                        .tags("from", d.from(), "to", d.to())
                        .description("Latency of the reachability probes per direction")
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry)
                        .record(Duration.ofNanos((long) (d.latencyMs() * 1_000_000)));
            }
        }
        linkUp.register(links, true);
        dataPlaneUp.register(dataPlanes, true);
        List<MultiGauge.Row<?>> clusters = new ArrayList<>();
        evaluation
                .report()
                .clusters()
                .forEach(c -> clusters.add(MultiGauge.Row.of(
                        Tags.of("cluster", c.name()),
                        c.checks().stream()
                                        .anyMatch(
                                                k -> k.name().equals(ClusterChecks.API) && k.status() == CheckStatus.OK)
                                ? 1
                                : 0)));
        clusterUp.register(clusters, true);
        List<MultiGauge.Row<?>> certificates = new ArrayList<>();
        for (MeshCertificate c : evaluation.certificates()) {
            Instant notAfter = c.info().notAfter();
            certificates.add(MultiGauge.Row.of(
                    Tags.of("cluster", c.cluster(), "secret", c.secret(), "certificate", c.key()),
                    notAfter,
                    n -> Duration.between(clock.instant(), n).getSeconds()));
        }
        certificateExpiry.register(certificates, true);
        List<MultiGauge.Row<?>> keys = new ArrayList<>();
        Instant now = clock.instant();
        for (var k : evaluation.keyAges()) {
            Instant created = now.minus(k.age());
            keys.add(MultiGauge.Row.of(
                    Tags.of("cluster", k.cluster(), "node", k.node()),
                    created,
                    c -> Duration.between(c, clock.instant()).getSeconds()));
        }
        keyAge.register(keys, true);
    }

    void checkSucceeded(Instant at) {
        lastCheckSuccess.accumulateAndGet(at, (old, now) -> old == null || now.isAfter(old) ? now : old);
    }
}
