package io.clustermesh.controller.health;

import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.health.spi.Check;
import io.clustermesh.controller.health.spi.CheckStatus;
import io.clustermesh.controller.health.spi.Contribution;
import io.clustermesh.controller.health.spi.Expiry;
import io.clustermesh.controller.health.spi.HealthContributor;
import io.clustermesh.controller.mesh.ClusterOverviewService;
import io.clustermesh.controller.mesh.ClusterView;
import io.clustermesh.controller.mesh.LinkStatusService;
import io.clustermesh.controller.mesh.LinkView;
import io.clustermesh.controller.mesh.MeshCertificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Computes one health report. Shared by the service (background refresh) and the one-shot
 * check, so both apply the same rules. The overview (which also hands over the apiserver
 * Deployment and TLS Secrets it read), the link status and the contributors run at the same time,
 * each bounded by the per-cluster deadline, so a dead cluster costs one deadline, not one per question.
 * <p>
 * Rules: a cluster is {@code down} when its API does not answer, {@code degraded} when any other
 * check warns or fails, else {@code healthy}. A link is {@code healthy} when both directions are
 * ready, {@code down} when neither is, else {@code degraded}; a failing contributed direction
 * check makes it at least {@code degraded}. The mesh is the worst of its clusters and links,
 * and {@code down} when there is no cluster at all.
 */
final class HealthEvaluator {
    private static final Logger LOG = Logger.getLogger(HealthEvaluator.class);
    private static final ExecutorService PARALLEL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "health-evaluate");
        t.setDaemon(true);
        return t;
    });

    private final FanOut fanOut;
    private final ClusterOverviewService overview;
    private final LinkStatusService linkStatus;
    private final Clock clock;
    private final String namespace;
    private final int warningDays;
    private final Duration agentScrapeInterval;
    private final Duration agentStatusInterval;
    private final double requestBudgetPerMinute;

    HealthEvaluator(
            FanOut fanOut,
            ClusterOverviewService overview,
            LinkStatusService linkStatus,
            Clock clock,
            String namespace,
            int warningDays,
            Duration agentScrapeInterval) {
        this(fanOut, overview, linkStatus, clock, namespace, warningDays, agentScrapeInterval, agentScrapeInterval, 0);
    }

    HealthEvaluator(
            FanOut fanOut,
            ClusterOverviewService overview,
            LinkStatusService linkStatus,
            Clock clock,
            String namespace,
            int warningDays,
            Duration agentScrapeInterval,
            Duration agentStatusInterval,
            double requestBudgetPerMinute) {
        this.agentScrapeInterval = agentScrapeInterval;
        this.agentStatusInterval = agentStatusInterval;
        this.requestBudgetPerMinute = requestBudgetPerMinute;
        this.fanOut = fanOut;
        this.overview = overview;
        this.linkStatus = linkStatus;
        this.clock = clock;
        this.namespace = namespace;
        this.warningDays = warningDays;
    }

    Evaluation evaluate(List<HealthContributor> contributors) {
        var inspections = async(overview::inspectAll);
        var links = async(() -> linkStatus.links(agentScrapeInterval, agentStatusInterval, requestBudgetPerMinute));
        var contributed = async(() -> fanOut.ask(contributors, HealthContributor::contribute));

        Map<String, FanOut.Answer<ClusterFacts>> factsByName = new HashMap<>();
        List<ClusterView> views = new ArrayList<>();
        for (var inspection : inspections.join()) {
            views.add(inspection.view());
            if (inspection.view().reachable()) {
                factsByName.put(
                        inspection.view().name(),
                        new FanOut.Answer<>(
                                ClusterFacts.of(inspection.apiserver(), inspection.certificates()), null, false));
            }
        }
        List<Contribution> contributions = new ArrayList<>();
        contributed.join().forEach((contributor, answer) -> {
            if (answer.ok() && answer.value() != null) {
                contributions.add(answer.value());
            } else {
                LOG.warnf("health contributor %s left out of this refresh: %s", contributor.name(), answer.error());
            }
        });

        List<HealthReport.ClusterHealth> clusters = new ArrayList<>();
        List<MeshCertificate> certificates = new ArrayList<>();
        for (ClusterView view : views) {
            List<Check> checks = ClusterChecks.of(view, factsByName.get(view.name()), namespace, warningDays, clock);
            HealthStatus status = ClusterChecks.statusOf(checks);
            // A cluster that did not answer is judged by that alone: contributors may hold older readings of it.
            for (Contribution c : view.reachable() ? contributions : List.<Contribution>of()) {
                for (var extra : c.clusterChecks()) {
                    if (extra.cluster().equals(view.name())) {
                        checks.add(extra.check());
                        status =
                                extra.check().status() == CheckStatus.OK ? status : status.worse(HealthStatus.DEGRADED);
                    }
                }
            }
            var answer = factsByName.get(view.name());
            if (view.reachable() && answer != null && answer.ok()) {
                certificates.addAll(answer.value().certificates());
            }
            clusters.add(new HealthReport.ClusterHealth(view.name(), status, view.simulated(), List.copyOf(checks)));
        }

        var directionChecks = LinkChecks.byDirection(contributions.stream()
                .flatMap(c -> c.directionChecks().stream())
                .toList());
        List<HealthReport.LinkHealth> linkHealth = new ArrayList<>();
        List<Evaluation.DirectionState> directions = new ArrayList<>();
        List<LinkView> linkViews = links.join();
        for (LinkView link : linkViews) {
            linkHealth.add(LinkChecks.of(link, directionChecks));
            directions.addAll(LinkChecks.directions(link, directionChecks));
        }

        List<Expiry> expiries = new ArrayList<>();
        certificates.forEach(c -> expiries.add(Expiry.of(
                c.what(),
                c.cluster(),
                c.info().notAfter(),
                c.info().notAfter().minus(Duration.ofDays(warningDays)),
                clock)));
        contributions.forEach(c -> expiries.addAll(c.expiries()));
        expiries.sort(Comparator.comparing(Expiry::notAfter)
                .thenComparing(Expiry::cluster, Comparator.nullsFirst(Comparator.naturalOrder())));

        List<HealthStatus> all = new ArrayList<>();
        clusters.forEach(c -> all.add(c.status()));
        linkHealth.forEach(l -> all.add(l.status()));
        HealthStatus overall = clusters.isEmpty() ? HealthStatus.DOWN : HealthStatus.worstOf(all);
        HealthReport report = new HealthReport(
                overall, clock.instant(), List.copyOf(clusters), List.copyOf(linkHealth), List.copyOf(expiries));
        List<Contribution.KeyAge> keyAges = contributions.stream()
                .flatMap(c -> c.keyAges().stream())
                .filter(Objects::nonNull)
                .toList();
        return new Evaluation(report, directions, certificates, keyAges, List.copyOf(views), List.copyOf(linkViews));
    }

    private static <T> CompletableFuture<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, PARALLEL);
    }
}
