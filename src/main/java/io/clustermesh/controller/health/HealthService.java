package io.clustermesh.controller.health;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.config.StateDirectory;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.health.spi.HealthContributor;
import io.clustermesh.controller.mesh.ClusterOverviewService;
import io.clustermesh.controller.mesh.LinkStatusService;
import io.clustermesh.controller.operations.ClustersChanged;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Mesh health, recomputed in the background and served from an immutable snapshot: reading it
 * costs no cluster call. Each refresh also feeds the link history and the metrics.
 */
@ApplicationScoped
public class HealthService {
    private static final Logger LOG = Logger.getLogger(HealthService.class);
    private static final int MAX_LINKS_IN_HISTORY = 1024;

    private final HealthEvaluator evaluator;
    private final Instance<HealthContributor> contributors;
    private final ClusterRegistry registry;
    private final Clock clock;
    private final HealthMetrics metrics;
    private final LinkHistoryStore history;
    private final CheckRunStore checkRuns;
    private final CompletableFuture<HealthReport> first = new CompletableFuture<>();
    private volatile HealthReport current;
    private volatile MeshSnapshot snapshot;
    private long generation;
    private volatile Duration lastRefreshDuration = Duration.ZERO;
    private volatile long lastRefreshStarted = System.nanoTime();
    private final Duration unhealthyRefreshInterval;
    private Map<String, String> watchSignatures = Map.of();

    public HealthService(
            ClusterRegistry registry,
            FanOut fanOut,
            ClusterOverviewService overview,
            LinkStatusService links,
            Clock clock,
            MeshConfig meshConfig,
            HealthConfig config,
            AgentScrapeConfig scrape,
            Instance<HealthContributor> contributors,
            MeterRegistry meterRegistry,
            StateDirectory stateDirectory) {
        this.registry = registry;
        this.clock = clock;
        this.contributors = contributors;
        this.evaluator = new HealthEvaluator(
                fanOut,
                overview,
                links,
                clock,
                meshConfig.namespace(),
                config.health().certificateWarningDays(),
                scrape.agentScrapeInterval(),
                scrape.agentStatusInterval(),
                scrape.agentRequestBudgetPerMinute());
        this.metrics = new HealthMetrics(meterRegistry, clock);
        this.unhealthyRefreshInterval = config.health().unhealthyRefreshInterval();
        Path stateDir = stateDirectory.path();
        this.history = new LinkHistoryStore(
                new StateFile(stateDir.resolve(LinkHistoryStore.FILE_NAME)),
                config.health().historySize(),
                MAX_LINKS_IN_HISTORY);
        this.checkRuns = new CheckRunStore(
                new StateFile(stateDir.resolve(CheckRunStore.FILE_NAME)),
                config.health().checksKept());
        checkRuns.lastSuccess().ifPresent(r -> metrics.checkSucceeded(r.receivedAt()));
        LOG.infof("health state in %s", stateDir);
    }

    /** The first refresh, once the registry has read the kubeconfigs; start-up does not wait for it. */
    void start(@Observes @Priority(1000) StartupEvent event) {
        Thread first = new Thread(this::scheduledRefresh, "health-first-refresh");
        first.setDaemon(true);
        first.start();
    }

    @Scheduled(
            every = "${mesh.health.refresh-interval}",
            delayed = "${mesh.health.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("health refresh failed: %s", e.toString());
        }
    }

    /**
     * Detection without polling the clusters: what the informers saw (an agent pod no longer Ready, a
     * Deployment scaled down, a watch cut by a dead API server or network), or a contributor's changed
     * {@link HealthContributor#signature()} (a reachability verdict), recomputes health now.
     * While health is not healthy it is also recomputed every {@code unhealthy-refresh-interval}, so
     * recovery shows soon even where no watch reports it.
     */
    @Scheduled(
            every = "${mesh.health.watch-check-interval}",
            delayed = "${mesh.health.watch-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watchCheck() {
        try {
            Map<String, String> signatures = new TreeMap<>();
            registry.clusters().forEach(c -> signatures.put(c.name(), c.watchSignature()));
            // Contributors' own news (a reachability verdict changed), keyed apart from cluster names.
            contributors.forEach(c -> signatures.put("\u0000" + c.name(), c.signature()));
            boolean changed = !signatures.equals(watchSignatures);
            watchSignatures = signatures;
            HealthReport report = current;
            boolean unhealthyDue = report != null
                    && report.status() != HealthStatus.HEALTHY
                    && System.nanoTime() - lastRefreshStarted >= unhealthyRefreshInterval.toNanos();
            if (report != null && (changed || unhealthyDue)) {
                refresh();
            }
        } catch (RuntimeException e) {
            LOG.warnf("health refresh after a watch change failed: %s", e.toString());
        }
    }

    /** Last of the views to hear of a change: agent verdicts and reachability are fresh by now. */
    void refreshAfter(@Observes @Priority(300) ClustersChanged change) {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("health refresh after %s failed: %s", change.cause(), e.toString());
        }
    }

    /** Recomputes health now (the schedule calls this; tests may too). */
    public synchronized HealthReport refresh() {
        long started = System.nanoTime();
        lastRefreshStarted = started;
        Evaluation evaluation = evaluator.evaluate(contributors.stream().toList());
        HealthReport report = evaluation.report();
        recordHistory(report);
        metrics.update(evaluation);
        Map<String, Object> contributed = new TreeMap<>();
        contributors.forEach(
                c -> Optional.ofNullable(c.contributed()).ifPresent(view -> contributed.put(c.name(), view)));
        snapshot = new MeshSnapshot(
                ++generation,
                report.checkedAt(),
                report,
                evaluation.clusters(),
                registry.errors(),
                evaluation.links(),
                contributed);
        current = report;
        lastRefreshDuration = Duration.ofNanos(System.nanoTime() - started);
        first.complete(report);
        return report;
    }

    /**
     * The latest snapshot. Only right after start-up, before the first refresh finished, does
     * this wait for it (at most {@code wait}).
     */
    public Optional<HealthReport> current(Duration wait) {
        HealthReport snapshot = current;
        if (snapshot != null) {
            return Optional.of(snapshot);
        }
        try {
            return Optional.of(first.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The page's snapshot of the latest refresh; waits like {@link #current} right after start-up. */
    public Optional<MeshSnapshot> snapshot(Duration wait) {
        return current(wait).map(ignored -> snapshot);
    }

    public Duration lastRefreshDuration() {
        return lastRefreshDuration;
    }

    public LinkHistory history(String a, String b) {
        registry.require(a);
        registry.require(b);
        return history.find(a, b)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.NOT_FOUND,
                        "no history for a link between " + a + " and " + b + ": it has never been seen connected"));
    }

    public List<CheckRun> checkRuns() {
        return checkRuns.all();
    }

    public CheckRun recordCheckRun(CheckRun run) {
        validateCheckRun(run);
        Instant now = clock.instant();
        CheckRun stored = run.received(UUID.randomUUID().toString(), now);
        checkRuns.add(stored);
        if (stored.exitCode() == 0) {
            metrics.checkSucceeded(now);
        }
        LOG.infof(
                "check run %s reported %s (exit %d) from %s",
                stored.id(), stored.status().label(), stored.exitCode(), stored.host() == null ? "?" : stored.host());
        return stored;
    }

    /** Refuses what {@link #recordCheckRun} would refuse and stores nothing (a dry run is only this). */
    public CheckRun validateCheckRun(CheckRun run) {
        if (run == null) {
            throw ProblemException.invalid("body", "send the check run's JSON (what check --output json prints)");
        }
        if (run.status() == null) {
            throw ProblemException.invalid("status", "status is required: healthy, degraded or down");
        }
        if (run.startedAt() == null) {
            throw ProblemException.invalid("startedAt", "startedAt is required");
        }
        if (run.exitCode() < 0 || run.exitCode() > 3) {
            throw ProblemException.invalid(
                    "exitCode", "exitCode is 0 (healthy), 1 (degraded), 2 (down) or 3 (configuration error)");
        }
        return run;
    }

    private void recordHistory(HealthReport report) {
        Instant now = report.checkedAt();
        boolean changed = false;
        Set<String> seen = new HashSet<>();
        for (var link : report.links()) {
            seen.add(LinkHistoryStore.key(link.a(), link.b()));
            changed |= history.observe(link.a(), link.b(), link.status().label(), link.reason(), now);
        }
        Set<String> answering = new HashSet<>();
        report.clusters().stream().filter(c -> c.status() != HealthStatus.DOWN).forEach(c -> answering.add(c.name()));
        for (LinkHistory known : history.all()) {
            boolean gone = !seen.contains(LinkHistoryStore.key(known.a(), known.b()))
                    && answering.contains(known.a())
                    && answering.contains(known.b());
            if (gone) {
                changed |= history.observe(
                        known.a(),
                        known.b(),
                        LinkHistoryStore.DISCONNECTED,
                        "neither cluster holds an entry for the other any more",
                        now);
            }
        }
        if (changed) {
            history.save();
        }
    }
}
