package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.AgentStatus;
import io.clustermesh.controller.cilium.AgentStatusParser;
import io.clustermesh.controller.cilium.ApiServerDeployments;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterMeshMetrics;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.cilium.EncryptionStatus;
import io.clustermesh.controller.cilium.NodeHealthReport;
import io.clustermesh.controller.cilium.ReadingSources;
import io.clustermesh.controller.cilium.RemoteCluster;
import io.clustermesh.controller.cilium.RemoteReadiness;
import io.clustermesh.controller.cilium.RemoteReason;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.operations.ClustersChanged;
import io.clustermesh.controller.tailscale.Device;
import io.clustermesh.controller.tailscale.RouteCoverage;
import io.clustermesh.controller.tailscale.TailnetDevices;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Link status per direction, from what the agents and the local KVStoreMesh report (issue 19 item 5).
 * <p>
 * A direction A→B is ready only when every node of A that should run an agent has a ready one,
 * each of those agents reports B ready, and — with KVStoreMesh — A's kvstoremesh reports B
 * connected and synced: with KVStoreMesh the agents read B from the local etcd copy, so they keep
 * saying "ready" from a stale copy after kvstoremesh has lost B (contract §5.2 B, §7.1 step 6).
 * <p>
 * Agents are read through their metrics (pod proxy :9962, one cheap GET each) only where the
 * release enables them ({@code prometheus-serve-addr} in cilium-config; the chart default is
 * off); otherwise through {@code cilium-dbg status -o json} exec, cilium-cli's own path. KVStoreMesh
 * is read through its metrics (:9964, on by default in the chart) when its container serves them,
 * else through {@code kvstoremesh-dbg status -o json}. Whenever a remote is not ready, one exec of
 * the status command names the cause (config not retrieved, which sync is pending, Cilium's text).
 */
@ApplicationScoped
public class LinkStatusService {
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(3);
    static final String SOURCE_METRICS = ReadingSources.AGENT_METRICS;
    static final String SOURCE_AGENT_STATUS = ReadingSources.AGENT_STATUS;
    static final String SOURCE_KVSTOREMESH_METRICS = ReadingSources.KVSTOREMESH_METRICS;
    static final String SOURCE_KVSTOREMESH_STATUS = ReadingSources.KVSTOREMESH_STATUS;

    /**
     * One cluster's view of one remote.
     *
     * @param agents      the agents' verdicts, over the nodes that should run one
     * @param agentSource {@link #SOURCE_METRICS} or {@link #SOURCE_AGENT_STATUS}
     * @param kvstoremesh KVStoreMesh's verdict, null when KVStoreMesh is off
     */
    record RemoteView(
            RemoteReadiness agents,
            String agentSource,
            RemoteReason.RemoteVerdict kvstoremesh,
            String kvstoremeshSource,
            List<String> nodesWithoutAgent) {
        boolean ready() {
            return agents.allReady() && nodesWithoutAgent.isEmpty() && (kvstoremesh == null || kvstoremesh.isReady());
        }
    }

    /** One cluster's view of every remote it is configured for, and what it contributes to data-plane verdicts. */
    record ClusterReport(
            String clusterName,
            Map<String, RemoteView> remotes,
            double latencyMs,
            boolean simulated,
            DataPlaneEvaluator.Side side) {
        ClusterReport(String clusterName, Map<String, RemoteView> remotes, double latencyMs, boolean simulated) {
            this(clusterName, remotes, latencyMs, simulated, null);
        }
    }

    /**
     * One agent's node probes, reused like the agent verdicts but only while every remote node answered
     * and every expected remote has nodes in it (a reading taken before KVStoreMesh had synced a remote
     * lists none of its nodes: that is not "all answered").
     */
    private record HealthReading(
            String inputs,
            List<NodeHealthReport> reports,
            String error,
            List<EncryptionStatus.WireguardPeer> peers,
            long atNanos) {
        boolean allRemoteReachable(String localCluster, List<String> expectedRemotes) {
            java.util.Set<String> listed = reports.stream()
                    .flatMap(r -> r.nodes().stream())
                    .map(NodeHealthReport.NodeHealth::cluster)
                    .filter(java.util.Objects::nonNull)
                    .collect(java.util.stream.Collectors.toSet());
            return error == null
                    && listed.containsAll(expectedRemotes)
                    && reports.stream()
                            .flatMap(r -> r.nodes().stream())
                            .filter(n -> n.cluster() != null && !n.cluster().equals(localCluster))
                            .allMatch(n -> n.endpoint() == NodeHealthReport.Reachability.REACHABLE);
        }
    }

    private final Map<String, HealthReading> healthReadings = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger healthTurn =
            new java.util.concurrent.atomic.AtomicInteger();

    /** One cluster's last agent verdicts and what they were read against. */
    private record Scraped(ManagedCluster cluster, String inputs, ClusterReport report, long atNanos) {}

    private final Map<String, Scraped> scraped = new ConcurrentHashMap<>();
    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final Clock clock;
    private final String namespace;

    private final TailnetDevices tailnet;

    /** Without tailnet facts (the check mode). */
    public LinkStatusService(ClusterRegistry registry, FanOut fanOut, Clock clock, MeshConfig config) {
        this(registry, fanOut, clock, config, TailnetDevices.none(clock));
    }

    @jakarta.inject.Inject
    public LinkStatusService(
            ClusterRegistry registry, FanOut fanOut, Clock clock, MeshConfig config, TailnetDevices tailnet) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.clock = clock;
        this.namespace = config.namespace();
        this.tailnet = tailnet;
    }

    /**
     * A change in one cluster changes what its peers' agents report about it, so every reused
     * verdict goes, not only the changed clusters' own. Runs before health refreshes.
     */
    void forgetVerdicts(@Observes @Priority(100) ClustersChanged change) {
        scraped.clear();
    }

    /** Every link, every agent asked now. */
    public List<LinkView> links() {
        return linksAmong(registry.clusters(), Reuse.NONE);
    }

    /**
     * Every link for the background health refresh: a cluster's verdicts are used again while
     * younger than {@code reuse} ({@code execReuse} where they cost execs: no agent metrics) and
     * while what they depend on locally (cilium-config, the cilium-clustermesh Secret, the agent
     * and clustermesh-apiserver pods, the DaemonSet, the nodes, all read from the watches) is
     * unchanged; any change there makes that cluster be asked at once. A reading with a remote not
     * ready is never reused.
     */
    public List<LinkView> links(Duration reuse, Duration execReuse, double requestBudgetPerMinute) {
        var clusters = registry.clusters();
        // Clusters that left the registry leave their last verdicts behind otherwise.
        scraped.keySet().retainAll(clusters.stream().map(ManagedCluster::name).toList());
        return linksAmong(clusters, new Reuse(reuse, execReuse, requestBudgetPerMinute));
    }

    public List<LinkView> links(Duration reuse) {
        return links(reuse, reuse, 0);
    }

    /** The link between two clusters, asking only those two; empty when neither side has an entry for the other. */
    public Optional<LinkView> link(String a, String b) {
        String key = key(a, b);
        return linksAmong(List.of(registry.require(a), registry.require(b)), Reuse.NONE).stream()
                .filter(l -> key(l.a(), l.b()).equals(key))
                .findFirst();
    }

    /**
     * How old a healthy reading may be: {@code metrics} when the agents and kvstoremesh serve
     * metrics, {@code exec} when reading them costs execs; with a request budget (per cluster per
     * minute, 0: none) a reading is also kept until its cost fits the budget.
     */
    record Reuse(Duration metrics, Duration exec, double budgetPerMinute) {
        static final Reuse NONE = new Reuse(Duration.ZERO, Duration.ZERO, 0);

        Duration window(boolean byMetrics, int requestsPerReading) {
            Duration base = byMetrics ? metrics : exec;
            if (budgetPerMinute <= 0 || base.isZero()) {
                return base;
            }
            Duration budgeted = Duration.ofMillis((long) (requestsPerReading / budgetPerMinute * 60_000));
            return budgeted.compareTo(base) > 0 ? budgeted : base;
        }
    }

    /** fabric8 (7.5) lists and gets the pod before each exec's upgrade request. */
    static final int REQUESTS_PER_EXEC = 3;

    /** What a cluster is configured for, known before its agents are asked. */
    private record Configured(String clusterName, List<String> remotes) {}

    private List<LinkView> linksAmong(Collection<ManagedCluster> clusters, Reuse reuse) {
        // A cluster that misses its deadline while its agents are asked still has links: they read
        // "did not answer", not absent: a link must not vanish from one read to the next.
        Map<String, Configured> configured = new ConcurrentHashMap<>();
        var answers = fanOut.ask(clusters, c -> report(c, reuse, known -> configured.put(c.name(), known)));
        Instant now = clock.instant();
        // Once per listing, cached a minute: the route facts of every direction come from one device list.
        Optional<List<Device>> devices = tailnet.devices();
        Map<String, String> nameByCiliumName = new HashMap<>();
        answers.forEach((cluster, answer) -> {
            String clusterName = answer.ok()
                    ? answer.value().clusterName()
                    : Optional.ofNullable(configured.get(cluster.name()))
                            .map(Configured::clusterName)
                            .orElse(null);
            if (clusterName != null) {
                nameByCiliumName.put(clusterName, cluster.name());
            }
        });
        Map<String, Map<String, LinkView.Direction>> directions = new TreeMap<>();
        Map<String, Boolean> simulated = new HashMap<>();
        answers.forEach((cluster, answer) -> {
            simulated.put(cluster.name(), cluster.simulated());
            if (!answer.ok()) {
                // Its directions are filled in below as not answering.
                Optional.ofNullable(configured.get(cluster.name()))
                        .ifPresent(known -> known.remotes()
                                .forEach(remote -> directions.computeIfAbsent(
                                        key(cluster.name(), nameByCiliumName.getOrDefault(remote, remote)),
                                        k -> new LinkedHashMap<>())));
                return;
            }
            answer.value().remotes().forEach((remoteCiliumName, view) -> {
                String remote = nameByCiliumName.getOrDefault(remoteCiliumName, remoteCiliumName);
                directions
                        .computeIfAbsent(key(cluster.name(), remote), k -> new LinkedHashMap<>())
                        .put(
                                cluster.name(),
                                direction(
                                        cluster.name(),
                                        remote,
                                        view,
                                        answer.value().latencyMs(),
                                        now));
            });
        });
        Map<String, ManagedCluster> byName = new HashMap<>();
        clusters.forEach(c -> byName.put(c.name(), c));
        Map<String, DataPlaneEvaluator.Side> sides = new HashMap<>();
        answers.forEach((cluster, answer) -> {
            if (answer.ok() && answer.value().side() != null) {
                sides.put(cluster.name(), answer.value().side());
            }
        });
        List<LinkView> links = new ArrayList<>();
        directions.forEach((key, byFrom) -> {
            String[] pair = key.split("\\|");
            List<LinkView.Direction> both = new ArrayList<>();
            for (String from : pair) {
                String to = from.equals(pair[0]) ? pair[1] : pair[0];
                LinkView.Direction d = byFrom.get(from);
                if (d == null) {
                    var answer = byName.containsKey(from) ? answers.get(byName.get(from)) : null;
                    String reason = answer == null
                            ? "cluster " + from + " is not managed by this service"
                            : !answer.ok()
                                    ? "cluster " + from + " did not answer: " + answer.error()
                                    : from + " has no entry for " + to;
                    boolean askingAgents = answer != null && answer.timedOut() && configured.containsKey(from);
                    if (askingAgents) {
                        reason += " (its configuration was read; its agents were still being asked)";
                    }
                    String hint = answer != null && answer.ok()
                            ? "connect them: PUT /api/v1/links/" + pair[0] + "/" + pair[1]
                            : askingAgents
                                    ? "read the link again; if this persists, check " + from
                                            + "'s Cilium agent pods and that exec into them works"
                                    : "check the cluster's API server and kubeconfig";
                    d = new LinkView.Direction(
                            from,
                            to,
                            answer != null && answer.ok()
                                    ? LinkView.DirectionStatus.NOT_READY
                                    : LinkView.DirectionStatus.UNKNOWN,
                            0,
                            0,
                            reason,
                            hint,
                            null,
                            now);
                }
                both.add(withDataPlane(d, sides.get(from), sides.get(to), now, devices));
            }
            boolean sim = simulated.getOrDefault(pair[0], false) || simulated.getOrDefault(pair[1], false);
            links.add(new LinkView(pair[0], pair[1], overall(both), sim, both, null));
        });
        return links;
    }

    /**
     * {@code healthy} only when both planes hold both ways (issue 17); {@code control-plane-only}
     * when the control plane is ready both ways but pods reach no remote node in some direction
     * and nothing is worse.
     */
    static String overall(List<LinkView.Direction> directions) {
        long ready = directions.stream().filter(LinkView.Direction::ready).count();
        if (ready == 0) {
            return "down";
        }
        if (ready < directions.size()) {
            return "degraded";
        }
        if (directions.stream().allMatch(LinkView.Direction::dataPlaneOk)) {
            return "healthy";
        }
        boolean onlyControlPlane = directions.stream()
                .allMatch(d -> d.dataPlaneOk()
                        || (d.dataPlane() != null
                                && DataPlaneEvaluator.CONTROL_PLANE_ONLY.equals(
                                        d.dataPlane().state())));
        return onlyControlPlane ? "control-plane-only" : "degraded";
    }

    private static LinkView.Direction withDataPlane(
            LinkView.Direction d,
            DataPlaneEvaluator.Side from,
            DataPlaneEvaluator.Side to,
            Instant now,
            Optional<List<Device>> devices) {
        if (from == null || to == null) {
            String missing = from == null ? d.from() : d.to();
            return d.withDataPlane(new LinkView.DataPlane(
                    DataPlaneEvaluator.UNKNOWN,
                    ReadingSources.CILIUM_HEALTH,
                    List.of(new LinkView.Reason("NO_HEALTH_DATA", "no node facts from " + missing)),
                    null));
        }
        RouteCoverage coverage = devices.map(list -> RouteCoverage.of(
                        list,
                        to.nodes().stream()
                                .map(n -> new RouteCoverage.Target(n.name(), n.ip()))
                                .toList()))
                .orElse(null);
        return d.withDataPlane(DataPlaneEvaluator.evaluate(from, to, d.ready(), now, coverage));
    }

    private static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    /**
     * The verdict, in the order a user should look: a node without an agent, then KVStoreMesh's
     * link to the remote (agents reading a stale copy cannot be believed while it is down), then
     * the agents.
     */
    static LinkView.Direction direction(String from, String to, RemoteView view, double latencyMs, Instant now) {
        RemoteReadiness agents = view.agents();
        int expected = agents.total() + view.nodesWithoutAgent().size();
        List<String> missing = view.nodesWithoutAgent().isEmpty() ? null : view.nodesWithoutAgent();
        if (view.ready()) {
            String reason = "all " + agents.total() + " agents ready"
                    + (view.kvstoremesh() == null ? "" : ", kvstoremesh connected and synced");
            return new LinkView.Direction(
                    from,
                    to,
                    LinkView.DirectionStatus.READY,
                    agents.ready(),
                    expected,
                    reason,
                    null,
                    latencyMs,
                    now,
                    view.agentSource(),
                    null,
                    null);
        }
        if (missing != null) {
            String reason = (missing.size() == 1
                            ? "node " + missing.get(0) + " has"
                            : "nodes " + String.join(", ", missing) + " have")
                    + " no ready Cilium agent (" + agents.ready() + " of " + expected + " agents ready)";
            return new LinkView.Direction(
                    from,
                    to,
                    LinkView.DirectionStatus.NOT_READY,
                    agents.ready(),
                    expected,
                    reason,
                    "check the cilium DaemonSet's pods on those nodes (kubectl -n kube-system get pods -l k8s-app=cilium -o wide):"
                            + " pods on them cannot reach " + to,
                    latencyMs,
                    now,
                    view.agentSource(),
                    missing,
                    null);
        }
        if (view.kvstoremesh() != null && !view.kvstoremesh().isReady()) {
            var k = view.kvstoremesh();
            String hint = "kvstoremesh in " + from + " cannot use " + to
                    + "'s clustermesh-apiserver (GET /api/v1/reachability tests that" + " endpoint): " + k.hint();
            return new LinkView.Direction(
                    from,
                    to,
                    LinkView.DirectionStatus.NOT_READY,
                    agents.ready(),
                    expected,
                    "kvstoremesh: " + k.text(),
                    hint,
                    latencyMs,
                    now,
                    view.kvstoremeshSource(),
                    null,
                    null);
        }
        var verdict = agents.dominant();
        return new LinkView.Direction(
                from,
                to,
                LinkView.DirectionStatus.NOT_READY,
                agents.ready(),
                expected,
                verdict.text(),
                verdict.hint(),
                latencyMs,
                now,
                view.agentSource(),
                null,
                null);
    }

    private ClusterReport report(ManagedCluster cluster, Reuse reuse, Consumer<Configured> configured) {
        long started = System.nanoTime();
        var gw = cluster.watched();
        var configMap = gw.configMap(namespace, CiliumNames.CONFIG_MAP);
        CiliumConfig config = configMap.map(CiliumConfig::from).orElse(null);
        String clusterName = config == null ? null : config.clusterName();
        var secret = gw.secret(namespace, CiliumNames.CLUSTERMESH_SECRET);
        Map<String, String> entries = secret.map(ApiServerObjects::decodeAll).orElse(Map.of());
        List<String> expected = ClusterMeshSecretEntries.expectedRemotes(entries, clusterName);
        configured.accept(new Configured(clusterName, expected));
        Map<String, RemoteView> remotes = new TreeMap<>();
        if (expected.isEmpty()) {
            return new ClusterReport(clusterName, remotes, elapsedMs(started), cluster.simulated());
        }
        List<Pod> agents =
                gw.pods(namespace, Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)).stream()
                        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .toList();
        Optional<Deployment> apiserver = gw.deployment(namespace, CiliumNames.APISERVER);
        Optional<Container> kvstoremesh = apiserver.flatMap(ApiServerDeployments::kvstoremesh);
        List<Pod> apiserverPods = kvstoremesh.isEmpty()
                ? List.of()
                : gw
                        .pods(namespace, Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.APISERVER_SELECTOR_VALUE))
                        .stream()
                        .filter(AgentCoverage::isReady)
                        // Mid-rollout an older pod may lack the container or serve an older config: newest first.
                        .filter(p -> p.getSpec() != null
                                && p.getSpec().getContainers().stream()
                                        .anyMatch(c -> CiliumNames.KVSTOREMESH_CONTAINER.equals(c.getName())))
                        .sorted(java.util.Comparator.comparing((Pod p) ->
                                        String.valueOf(p.getMetadata().getCreationTimestamp()))
                                .reversed())
                        .toList();
        Optional<DaemonSet> daemonSet = gw.daemonSet(namespace, CiliumNames.AGENT_DAEMONSET);
        List<Node> nodes = gw.nodes();
        boolean agentMetrics = configMap
                .map(c -> c.getData() != null && c.getData().containsKey(CiliumNames.KEY_PROMETHEUS_SERVE_ADDR))
                .orElse(false);
        String inputs = versionOf(configMap) + "|" + versionOf(secret) + "|" + versionOf(apiserver) + "|"
                + versionOf(daemonSet) + "|" + versions(agents) + versions(apiserverPods) + versions(nodes);
        Scraped previous = scraped.get(cluster.name());
        boolean kvstoremeshByMetrics = kvstoremesh.isEmpty()
                || ApiServerDeployments.metricsPort(kvstoremesh.get()).isPresent();
        // One reading: each agent (metrics GET or status exec), kvstoremesh, one cilium-health exec.
        int cost = (agentMetrics ? agents.size() : agents.size() * REQUESTS_PER_EXEC)
                + (kvstoremesh.isEmpty() ? 0 : kvstoremeshByMetrics ? 1 : REQUESTS_PER_EXEC)
                + REQUESTS_PER_EXEC;
        Duration window = reuse.window(agentMetrics && kvstoremeshByMetrics, cost);
        // Only a healthy reading is reused: while a remote is not ready, it is asked every time.
        if (previous != null
                && previous.cluster() == cluster
                && previous.inputs().equals(inputs)
                && System.nanoTime() - previous.atNanos() < window.toNanos()
                && previous.report().remotes().values().stream().allMatch(RemoteView::ready)
                && healthReadings.containsKey(cluster.name())
                && previous.report().side() != null
                && healthReadings
                        .get(cluster.name())
                        .allRemoteReachable(previous.report().side().name(), expected)) {
            return previous.report();
        }
        AgentCoverage coverage = AgentCoverage.of(daemonSet, nodes, agents);
        String agentSource = agentMetrics ? SOURCE_METRICS : SOURCE_AGENT_STATUS;
        Map<String, List<RemoteReason.RemoteVerdict>> perRemote = new LinkedHashMap<>();
        expected.forEach(r -> perRemote.put(r, new ArrayList<>()));
        for (Function<String, RemoteReason.RemoteVerdict> agent : askAll(cluster, agents, agentMetrics)) {
            for (String remote : expected) {
                perRemote.get(remote).add(agent.apply(remote));
            }
        }
        KvstoreMeshReading kvstoremeshReading = kvstoremesh
                .map(c -> readKvstoreMesh(cluster, c, apiserverPods, expected))
                .orElse(null);
        for (String remote : expected) {
            RemoteReadiness readiness = RemoteReadiness.aggregate(remote, perRemote.get(remote));
            if (agentMetrics && !readiness.allReady() && !agents.isEmpty()) {
                readiness = explainWithAgentStatus(cluster, agents, remote, readiness);
            }
            RemoteReason.RemoteVerdict kv = kvstoremeshReading == null ? null : kvstoremeshReading.verdict(remote);
            remotes.put(
                    remote,
                    new RemoteView(
                            readiness,
                            agentSource,
                            kv,
                            kvstoremeshReading == null ? null : kvstoremeshReading.source(),
                            coverage.nodesWithoutAgent()));
        }
        ClusterReport report = new ClusterReport(
                clusterName,
                remotes,
                elapsedMs(started),
                cluster.simulated(),
                side(cluster, config, nodes, agents, inputs, window, expected));
        scraped.put(cluster.name(), new Scraped(cluster, inputs, report, started));
        return report;
    }

    /**
     * This cluster's part of the data-plane verdicts: settings, node addresses, and one agent's
     * {@code cilium-health status -o json} (every agent probes every node, so one answers for the
     * data plane's reachability; a different agent each time). WireGuard peers are read only to
     * explain a failing probe. A reading in which every remote node answered is reused for
     * {@code reuse}; any other is read again on the next refresh.
     */
    private DataPlaneEvaluator.Side side(
            ManagedCluster cluster,
            CiliumConfig config,
            List<Node> nodes,
            List<Pod> agents,
            String inputs,
            Duration reuse,
            List<String> expectedRemotes) {
        String name = config == null || config.clusterName() == null ? cluster.name() : config.clusterName();
        List<DataPlaneEvaluator.NodeAddress> addresses = nodes.stream()
                .map(LinkStatusService::nodeAddress)
                .filter(java.util.Objects::nonNull)
                .toList();
        HealthReading previous = healthReadings.get(cluster.name());
        HealthReading reading;
        if (previous != null
                && previous.inputs().equals(inputs)
                && System.nanoTime() - previous.atNanos() < reuse.toNanos()
                && previous.allRemoteReachable(name, expectedRemotes)) {
            reading = previous;
        } else {
            reading = readHealth(cluster, config, agents, inputs, name);
            healthReadings.put(cluster.name(), reading);
        }
        return new DataPlaneEvaluator.Side(
                name,
                config,
                addresses,
                "port-forward".equals(cluster.reachabilityMode()),
                reading.reports(),
                reading.error(),
                reading.peers());
    }

    private HealthReading readHealth(
            ManagedCluster cluster, CiliumConfig config, List<Pod> agents, String inputs, String name) {
        List<Pod> ready = agents.stream()
                .filter(AgentCoverage::isReady)
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        if (ready.isEmpty()) {
            return new HealthReading(
                    inputs, List.of(), "no ready agent in " + name + " to ask", null, System.nanoTime());
        }
        String pod = ready.get(Math.floorMod(healthTurn.getAndIncrement(), ready.size()))
                .getMetadata()
                .getName();
        NodeHealthReport report;
        try {
            report = NodeHealthReport.parse(cluster.gateway()
                    .execSafeToRepeat(
                            namespace,
                            pod,
                            CiliumNames.AGENT_CONTAINER,
                            EXEC_TIMEOUT,
                            AgentCommands.HEALTH_STATUS.toArray(String[]::new)));
        } catch (RuntimeException e) {
            return new HealthReading(
                    inputs,
                    List.of(),
                    "cilium-health status in " + pod + " failed: " + e.getMessage(),
                    null,
                    System.nanoTime());
        }
        List<EncryptionStatus.WireguardPeer> peers = null;
        HealthReading probes = new HealthReading(inputs, List.of(report), null, null, System.nanoTime());
        if (config != null && config.wireguardEnabled() && !probes.allRemoteReachable(name, List.of())) {
            try {
                var wg = AgentStatusParser.parseDebugInfoWireguard(cluster.gateway()
                        .execSafeToRepeat(
                                namespace,
                                pod,
                                CiliumNames.AGENT_CONTAINER,
                                EXEC_TIMEOUT,
                                AgentCommands.DEBUGINFO.toArray(String[]::new)));
                peers = wg == null
                        ? null
                        : wg.interfaces().stream()
                                .filter(i -> i.peers() != null)
                                .flatMap(i -> i.peers().stream())
                                .toList();
            } catch (RuntimeException e) {
                // The probes decide; the peers would only have added a reason.
            }
        }
        return new HealthReading(inputs, List.of(report), null, peers, probes.atNanos());
    }

    /** The address Cilium dials a node on: its InternalIP, else its ExternalIP (contract dataplane.md §1.2). */
    private static DataPlaneEvaluator.NodeAddress nodeAddress(Node node) {
        var addresses = node.getStatus() == null || node.getStatus().getAddresses() == null
                ? List.<io.fabric8.kubernetes.api.model.NodeAddress>of()
                : node.getStatus().getAddresses();
        String ip = addresses.stream()
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(io.fabric8.kubernetes.api.model.NodeAddress::getAddress)
                .findFirst()
                .orElse(addresses.stream()
                        .filter(a -> "ExternalIP".equals(a.getType()))
                        .map(io.fabric8.kubernetes.api.model.NodeAddress::getAddress)
                        .findFirst()
                        .orElse(null));
        return ip == null
                ? null
                : new DataPlaneEvaluator.NodeAddress(node.getMetadata().getName(), ip);
    }

    /** What KVStoreMesh said about each remote, and how it was asked. */
    private record KvstoreMeshReading(String source, Map<String, RemoteReason.RemoteVerdict> byRemote, String failure) {
        RemoteReason.RemoteVerdict verdict(String remote) {
            if (failure != null) {
                return new RemoteReason.RemoteVerdict(
                        remote,
                        RemoteReason.UNKNOWN,
                        failure,
                        "check the clustermesh-apiserver pod's kvstoremesh container (kubectl -n kube-system logs deploy/clustermesh-apiserver -c kvstoremesh)");
            }
            RemoteReason.RemoteVerdict v = byRemote.get(remote);
            return v != null ? v : RemoteReason.classify(remote, null);
        }
    }

    /** Metrics when served (one GET), else the status command; a not-ready remote is explained by the status command. */
    private KvstoreMeshReading readKvstoreMesh(
            ManagedCluster cluster, Container container, List<Pod> pods, List<String> expected) {
        if (pods.isEmpty()) {
            return new KvstoreMeshReading(
                    SOURCE_KVSTOREMESH_STATUS, Map.of(), "no ready clustermesh-apiserver pod to ask");
        }
        KvstoreMeshReading reading = null;
        // During a rollout a listed pod may already be gone: the next one answers.
        for (Pod candidate : pods) {
            reading =
                    readKvstoreMesh(cluster, container, candidate.getMetadata().getName(), expected);
            if (reading.failure() == null) {
                return reading;
            }
        }
        return reading;
    }

    private KvstoreMeshReading readKvstoreMesh(
            ManagedCluster cluster, Container container, String pod, List<String> expected) {
        Optional<Integer> port = ApiServerDeployments.metricsPort(container);
        if (port.isPresent()) {
            try {
                var reported = ClusterMeshMetrics.parseKvstoreMesh(
                                cluster.gateway().podProxyGet(namespace, pod, port.get(), "/metrics"))
                        .remotes();
                // Only a page that lists every expected remote as ready settles it; anything else is asked in full.
                if (reported.keySet().containsAll(expected)
                        && reported.values().stream().allMatch(ClusterMeshMetrics.RemoteClusterMetrics::ready)) {
                    Map<String, RemoteReason.RemoteVerdict> verdicts = new HashMap<>();
                    reported.forEach((name, m) -> verdicts.put(
                            name, new RemoteReason.RemoteVerdict(name, RemoteReason.READY, "ready", null)));
                    return new KvstoreMeshReading(SOURCE_KVSTOREMESH_METRICS, verdicts, null);
                }
            } catch (RuntimeException e) {
                // The status command below says more than a failed scrape would.
            }
        }
        try {
            String json = cluster.gateway()
                    .execSafeToRepeat(
                            namespace,
                            pod,
                            CiliumNames.KVSTOREMESH_CONTAINER,
                            EXEC_TIMEOUT,
                            AgentCommands.KVSTOREMESH_STATUS.toArray(String[]::new));
            Map<String, RemoteReason.RemoteVerdict> verdicts = new HashMap<>();
            for (RemoteCluster remote : AgentStatusParser.parseKvstoreMeshStatus(json)) {
                verdicts.put(remote.name(), RemoteReason.classify(remote.name(), remote));
            }
            return new KvstoreMeshReading(SOURCE_KVSTOREMESH_STATUS, verdicts, null);
        } catch (RuntimeException e) {
            return new KvstoreMeshReading(
                    SOURCE_KVSTOREMESH_STATUS, Map.of(), "kvstoremesh status unavailable: " + e.getMessage());
        }
    }

    private static String versionOf(Optional<? extends HasMetadata> object) {
        return object.map(o -> o.getMetadata().getResourceVersion()).orElse("-");
    }

    private static String versions(List<? extends HasMetadata> objects) {
        return objects.stream()
                .map(p -> p.getMetadata().getName() + ":" + p.getMetadata().getResourceVersion())
                .sorted()
                .toList()
                .toString();
    }

    /** Every agent at once: a cluster's answer takes one round trip, not one per agent. Each answer judges any remote. */
    private List<Function<String, RemoteReason.RemoteVerdict>> askAll(
            ManagedCluster cluster, List<Pod> agents, boolean metrics) {
        Function<Pod, Function<String, RemoteReason.RemoteVerdict>> ask =
                metrics ? agent -> fromMetrics(scrape(cluster, agent)) : agent -> fromStatus(cluster, agent);
        if (agents.size() == 1) {
            return List.of(ask.apply(agents.get(0)));
        }
        var futures = agents.stream()
                .map(agent -> CompletableFuture.supplyAsync(() -> ask.apply(agent), fanOut.executor()))
                .toList();
        List<Function<String, RemoteReason.RemoteVerdict>> results = new ArrayList<>();
        futures.forEach(f -> results.add(f.join()));
        return results;
    }

    private Map<String, ClusterMeshMetrics.RemoteClusterMetrics> scrape(ManagedCluster cluster, Pod agent) {
        try {
            String text = cluster.gateway()
                    .podProxyGet(namespace, agent.getMetadata().getName(), CiliumNames.AGENT_METRICS_PORT, "/metrics");
            return ClusterMeshMetrics.parseAgent(text).remotes();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code cilium-dbg status -o json} in one agent: the cheapest real path without metrics (contract §7.1 step 6). */
    private Function<String, RemoteReason.RemoteVerdict> fromStatus(ManagedCluster cluster, Pod agent) {
        try {
            String json = cluster.gateway()
                    .execSafeToRepeat(
                            namespace,
                            agent.getMetadata().getName(),
                            CiliumNames.AGENT_CONTAINER,
                            EXEC_TIMEOUT,
                            AgentCommands.STATUS.toArray(String[]::new));
            AgentStatus status = AgentStatus.parse(json);
            return remote -> RemoteReason.classify(remote, status.remote(remote).orElse(null));
        } catch (RuntimeException e) {
            String why =
                    "agent " + agent.getMetadata().getName() + " did not answer cilium-dbg status: " + e.getMessage();
            return remote -> new RemoteReason.RemoteVerdict(
                    remote,
                    RemoteReason.UNKNOWN,
                    why,
                    "check the agent pod; the service needs pods/exec in " + namespace
                            + " to read agents without metrics");
        }
    }

    private static Function<String, RemoteReason.RemoteVerdict> fromMetrics(
            Map<String, ClusterMeshMetrics.RemoteClusterMetrics> reported) {
        return remote -> verdictFromMetrics(remote, reported);
    }

    private static RemoteReason.RemoteVerdict verdictFromMetrics(
            String remote, Map<String, ClusterMeshMetrics.RemoteClusterMetrics> reported) {
        if (reported == null) {
            return new RemoteReason.RemoteVerdict(
                    remote,
                    RemoteReason.UNKNOWN,
                    "agent metrics unavailable",
                    "cilium-config sets prometheus-serve-addr but the agent's :9962 did not answer; check the agent pod");
        }
        var m = reported.get(remote);
        if (m == null) {
            return RemoteReason.classify(remote, null);
        }
        if (m.ready()) {
            return new RemoteReason.RemoteVerdict(remote, RemoteReason.READY, "ready", null);
        }
        return new RemoteReason.RemoteVerdict(
                remote,
                RemoteReason.NOT_READY,
                "not ready (" + m.failures() + " connection failures"
                        + (m.lastFailure() == null ? "" : ", last at " + m.lastFailure()) + ")",
                "check that " + remote
                        + "'s clustermesh endpoint is reachable from this cluster (GET /api/v1/reachability) and trusts this cluster's certificate");
    }

    /** The detailed path: ask one not-ready agent for its full status to name the cause. */
    private RemoteReadiness explainWithAgentStatus(
            ManagedCluster cluster, List<Pod> agents, String remote, RemoteReadiness readiness) {
        try {
            String json = cluster.gateway()
                    .execSafeToRepeat(
                            namespace,
                            agents.get(0).getMetadata().getName(),
                            CiliumNames.AGENT_CONTAINER,
                            EXEC_TIMEOUT,
                            AgentCommands.STATUS.toArray(String[]::new));
            var verdict = RemoteReason.classify(
                    remote, AgentStatus.parse(json).remote(remote).orElse(null));
            return new RemoteReadiness(remote, readiness.ready(), readiness.total(), verdict);
        } catch (RuntimeException e) {
            return readiness;
        }
    }

    private static double elapsedMs(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 10_000.0) / 100.0;
    }
}
