package io.clustermesh.controller.reachability;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.operations.ClustersChanged;
import io.clustermesh.controller.operations.Operation;
import io.clustermesh.controller.operations.OperationContext;
import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.problems.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The reachability matrix: for every ordered pair of managed clusters, whether the first can dial
 * the second's clustermesh-apiserver at the endpoint it is dialled at, why not, and what to do.
 * Probes run from this service's vantage through each cluster's {@link EndpointDialer} (real TCP,
 * TLS and kvstore checks; for a simulated cluster the simulation's answer, labelled as such), and
 * optionally from the remote side (a probe Pod in the dialling cluster).
 */
@ApplicationScoped
public class ReachabilityService {
    private static final Logger LOG = Logger.getLogger(ReachabilityService.class);
    /** Lock key for probe runs: not a DNS label, so it can never collide with a cluster's lock. */
    static final String PROBE_LOCK = "reachability/probes";

    /** What to probe: all clusters when {@code clusters} is empty; {@code endpoints} tries candidate endpoints. */
    public record ProbeRequest(List<String> clusters, boolean remote, Map<String, String> endpoints) {}

    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final OperationService operations;
    private final Clock clock;
    private final String namespace;
    private final ReachabilityConfig config;
    private final EndpointDialers dialers;
    private final RemoteProbePods remotePods;
    private final TailscaleProbe tailscale;
    private final NettyEventLoops loops = new NettyEventLoops(2);
    private final EndpointChecks checks = new EndpointChecks(InetAddress::getByName);
    private final AtomicReference<ReachabilityMatrix> latest = new AtomicReference<>();
    private final Map<String, ReachabilityEntry> remoteEntries = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, ProbeTarget> lastGoodTargets = new java.util.concurrent.ConcurrentHashMap<>();

    public ReachabilityService(
            ClusterRegistry registry,
            FanOut fanOut,
            OperationService operations,
            Clock clock,
            MeshConfig meshConfig,
            ReachabilityConfig config,
            Instance<SimulatedNetworkOracle> oracle,
            RemoteProbePods remotePods,
            TailscaleProbe tailscale) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.operations = operations;
        this.clock = clock;
        this.namespace = meshConfig.namespace();
        this.config = config;
        this.remotePods = remotePods;
        this.tailscale = tailscale;
        this.dialers = new EndpointDialers(
                new NetworkDialer(new EndpointProbe(new KvstoreProbe(loops), InetAddress::getByName), tailscale),
                oracle.isResolvable() ? Optional.of(oracle.get()) : Optional.empty());
    }

    void stop(@Observes ShutdownEvent event) {
        loops.close();
    }

    /**
     * Probes again at once when a matrix exists (a mutation or a fault changed what it says), so
     * the health refresh that follows and the next {@code GET} read the present. Before any probe
     * ran there is nothing stale to replace.
     */
    void reprobe(@Observes @Priority(200) ClustersChanged change) {
        if (latest.get() != null) {
            probeNow(new ProbeRequest(List.of(), false, Map.of()), null);
        }
    }

    /**
     * The cheap probe on its own schedule ({@code mesh.reachability.endpoint-probe-interval}): only
     * this service's dials, the remote-side results kept. Health sees a changed verdict through
     * {@link ReachabilityHealthContributor#signature()} within its watch check.
     */
    @Scheduled(
            every = "${mesh.reachability.endpoint-probe-interval}",
            delayed = "${mesh.reachability.endpoint-probe-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probeOnSchedule() {
        if (!registry.clusters().isEmpty()) {
            probeNow(new ProbeRequest(List.of(), false, Map.of()), null);
        }
    }

    /** The latest matrix without probing: what health reads. Empty until a probe ran. */
    public Optional<ReachabilityMatrix> latest() {
        return Optional.ofNullable(latest.get());
    }

    /** The latest matrix, probing first when it is missing or older than {@code mesh.reachability.max-age}. */
    public ReachabilityMatrix matrix() {
        ReachabilityMatrix current = latest.get();
        if (current == null || current.checkedAt().plus(config.maxAge()).isBefore(clock.instant())) {
            return probeNow(new ProbeRequest(List.of(), false, Map.of()), null);
        }
        return current;
    }

    /** Validates at once (400 before anything runs), then probes as an operation. */
    public Operation startProbes(ProbeRequest request, String caller) {
        ProbeRequest valid = validate(request);
        return operations.submit(
                "reachability-probes",
                valid.clusters().isEmpty() ? "all" : String.join(",", valid.clusters()),
                caller,
                List.of(PROBE_LOCK),
                op -> {
                    ReachabilityMatrix matrix = probeNow(valid, op);
                    long failed = matrix.pairs().stream().filter(e -> !e.ok()).count();
                    LOG.infof(
                            "operation %s: reachability probes done, %d of %d pairs failing",
                            op.operationId(), failed, matrix.pairs().size());
                });
    }

    /** Findings about declared endpoints, for {@code GET /api/v1/clusters}. */
    public Map<String, List<EndpointFinding>> findings(List<EndpointChecks.Declared> declared) {
        return checks.check(declared.stream()
                .map(d -> new EndpointChecks.Declared(
                        d.cluster(),
                        d.mode(),
                        d.endpoint(),
                        d.nodePort(),
                        config.publicAddresses().get(d.cluster())))
                .toList());
    }

    /** The request as it would run, or the problem with it; starts nothing (a dry run is only this). */
    public ProbeRequest validate(ProbeRequest request) {
        ProbeRequest r = request == null ? new ProbeRequest(List.of(), false, Map.of()) : request;
        List<String> clusters = r.clusters() == null ? List.of() : List.copyOf(r.clusters());
        for (String name : clusters) {
            registry.require(name);
        }
        Map<String, String> endpoints = r.endpoints() == null ? Map.of() : Map.copyOf(r.endpoints());
        endpoints.forEach((name, endpoint) -> {
            if (registry.find(name).isEmpty()) {
                throw ProblemException.invalid("endpoints." + name, "no managed cluster named '" + name + "'");
            }
            HostPort.parse(endpoint, "endpoints." + name);
        });
        return new ProbeRequest(clusters, r.remote(), endpoints);
    }

    ReachabilityMatrix probeNow(ProbeRequest request, OperationContext op) {
        Collection<ManagedCluster> all = registry.clusters();
        List<ManagedCluster> targets = all.stream()
                .filter(c -> request.clusters().isEmpty() || request.clusters().contains(c.name()))
                .toList();
        step(op, "read endpoints");
        var read = fanOut.ask(
                all,
                c -> ProbeTarget.read(
                        c,
                        namespace,
                        request.endpoints().containsKey(c.name())
                                ? HostPort.parse(request.endpoints().get(c.name()), "endpoints." + c.name())
                                : null,
                        tailscale::tailnetAddress));
        Map<String, ProbeTarget> byName = new LinkedHashMap<>();
        read.forEach((cluster, answer) -> {
            if (answer.ok()) {
                byName.put(cluster.name(), answer.value());
                if (answer.value().problem() == null && !request.endpoints().containsKey(cluster.name())) {
                    lastGoodTargets.put(cluster.name(), answer.value());
                }
            } else {
                // An API server that does not answer says nothing about the mesh endpoint: dial the last known one.
                byName.put(
                        cluster.name(),
                        Optional.ofNullable(lastGoodTargets.get(cluster.name()))
                                .orElseGet(() -> new ProbeTarget(
                                        cluster.name(),
                                        ReachabilityMode.DIRECT,
                                        null,
                                        null,
                                        null,
                                        0,
                                        null,
                                        null,
                                        null,
                                        cluster.simulated(),
                                        Optional.empty(),
                                        "cannot read " + cluster.name() + " to find its endpoint: " + answer.error())));
            }
        });
        done(op, "read endpoints", byName.size() + " clusters read");

        step(op, "probe from this service");
        Duration deadline = config.probeTimeout().plusSeconds(2);
        Map<String, ManagedCluster> clustersByName = new LinkedHashMap<>();
        all.forEach(c -> clustersByName.put(c.name(), c));
        var probed = fanOut.ask(
                byName.values().stream()
                        .filter(t -> targets.stream().anyMatch(c -> c.name().equals(t.cluster())))
                        .toList(),
                t -> probeFromService(t, clustersByName.get(t.cluster())),
                deadline.plus(tailscaleBudget(byName.values())));
        Instant now = clock.instant();
        List<ReachabilityEntry> entries = new ArrayList<>();
        for (ManagedCluster to : targets) {
            ProbeTarget target = byName.get(to.name());
            var answer = probed.entrySet().stream()
                    .filter(e -> e.getKey().cluster().equals(to.name()))
                    .findFirst()
                    .map(Map.Entry::getValue)
                    .orElse(null);
            Measured measured = answer != null && answer.ok()
                    ? answer.value()
                    : new Measured(
                            new ProbeOutcome(
                                    ProbeVerdict.TIMEOUT,
                                    null,
                                    "probe did not finish: " + (answer == null ? "not run" : answer.error()),
                                    List.of()),
                            "service",
                            null,
                            false);
            for (ManagedCluster from : all) {
                if (!from.name().equals(to.name())) {
                    entries.add(entry(from.name(), target, measured, now));
                }
            }
        }
        done(
                op,
                "probe from this service",
                entries.stream().filter(ReachabilityEntry::ok).count() + " of " + entries.size() + " pairs ok");

        if (request.remote()) {
            step(op, "probe from the remote side");
            entries.addAll(probeFromRemote(all, targets, byName, op));
        } else {
            // Remote results are kept until the next remote run, for clusters still managed.
            entries.addAll(remoteEntries.values().stream()
                    .filter(e -> targets.stream().anyMatch(t -> t.name().equals(e.to()))
                            && all.stream().anyMatch(c -> c.name().equals(e.from())))
                    .toList());
        }
        if (!request.clusters().isEmpty() && latest.get() != null) {
            latest.get().pairs().stream()
                    .filter(e -> !request.clusters().contains(e.to()) && !"remote".equals(e.vantage()))
                    .forEach(entries::add);
        }
        entries.sort(java.util.Comparator.comparing(ReachabilityEntry::from)
                .thenComparing(ReachabilityEntry::to)
                .thenComparing(ReachabilityEntry::vantage));
        boolean simulated = all.stream().anyMatch(ManagedCluster::simulated);
        ReachabilityMatrix matrix = new ReachabilityMatrix(now, simulated, List.copyOf(entries));
        latest.set(matrix);
        return matrix;
    }

    /** Tailscale path checks ping up to N times, a second apart, each bounded by the LocalAPI deadline. */
    private Duration tailscaleBudget(Collection<ProbeTarget> targets) {
        boolean any = targets.stream().anyMatch(t -> t.mode() == ReachabilityMode.TAILSCALE);
        return any ? Duration.ofSeconds(6L * Math.max(1, config.tailscalePings())) : Duration.ZERO;
    }

    private List<ReachabilityEntry> probeFromRemote(
            Collection<ManagedCluster> all,
            List<ManagedCluster> targets,
            Map<String, ProbeTarget> byName,
            OperationContext op) {
        List<ReachabilityEntry> entries = new ArrayList<>();
        List<String[]> pairs = new ArrayList<>();
        for (ManagedCluster to : targets) {
            for (ManagedCluster from : all) {
                if (!from.name().equals(to.name())) {
                    pairs.add(new String[] {from.name(), to.name()});
                }
            }
        }
        Map<String, ManagedCluster> clusters = new LinkedHashMap<>();
        all.forEach(c -> clusters.put(c.name(), c));
        var answers = fanOut.ask(
                pairs,
                pair -> remotePods.probe(clusters.get(pair[0]), byName.get(pair[1])),
                config.probeDeadline().plusSeconds(10));
        Instant now = clock.instant();
        answers.forEach((pair, answer) -> {
            ProbeTarget target = byName.get(pair[1]);
            ProbeOutcome outcome = answer.ok()
                    ? answer.value()
                    : new ProbeOutcome(
                            ProbeVerdict.FAILED,
                            null,
                            "remote probe from " + pair[0] + " did not finish: " + answer.error(),
                            List.of());
            ReachabilityEntry e = entry(
                    pair[0],
                    target,
                    new Measured(outcome, "remote", null, clusters.get(pair[0]).simulated()),
                    now);
            remoteEntries.put(pair[0] + "|" + pair[1], e);
            entries.add(e);
        });
        done(
                op,
                "probe from the remote side",
                entries.stream().filter(ReachabilityEntry::ok).count() + " of " + entries.size() + " pairs ok");
        return entries;
    }

    private Measured probeFromService(ProbeTarget target, ManagedCluster cluster) {
        EndpointDialer dialer = dialers.of(cluster);
        if (target.problem() != null) {
            return new Measured(
                    new ProbeOutcome(ProbeVerdict.NO_ENDPOINT, null, target.problem(), List.of()),
                    dialer.vantage(),
                    null,
                    dialer.simulated());
        }
        return dialer.dial(target, config.probeTimeout());
    }

    static ReachabilityEntry entry(String from, ProbeTarget target, Measured measured, Instant now) {
        ProbeOutcome outcome = measured.outcome();
        FailureHints.Explanation why = FailureHints.explain(
                target.mode(),
                outcome,
                target.cluster(),
                target.endpointText() == null ? target.cluster() + "'s endpoint" : target.endpointText());
        String reason = why.reason();
        String hint = why.hint();
        if (outcome.ok() && measured.path() != null && measured.path().startsWith("derp:")) {
            reason = "relayed through DERP " + measured.path().substring("derp:".length())
                    + ": works, with extra latency";
            hint = "a direct path needs UDP 41641 reachable on one side (hard NAT on both ends forces DERP)";
        }
        String path = outcome.ok() || outcome.latencyMs() != null ? measured.path() : null;
        if (path == null && outcome.ok()) {
            path = target.mode() == ReachabilityMode.PORT_FORWARD ? "port-forward" : "direct";
        }
        return new ReachabilityEntry(
                from,
                target.cluster(),
                target.mode().label(),
                target.endpointText(),
                measured.vantage(),
                outcome.result(),
                outcome.latencyMs(),
                path,
                now,
                reason,
                hint,
                measured.simulated() || target.simulated(),
                outcome.checks());
    }

    private static void step(OperationContext op, String name) {
        if (op != null) {
            op.addStep(name);
            op.start(name);
        }
    }

    private static void done(OperationContext op, String name, String message) {
        if (op != null) {
            op.succeed(name, message);
        }
    }
}
