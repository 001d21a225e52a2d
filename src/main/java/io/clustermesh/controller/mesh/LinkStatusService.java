package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.AgentStatus;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterMeshMetrics;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.cilium.RemoteReadiness;
import io.clustermesh.controller.cilium.RemoteReason;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.clustermesh.controller.operations.ClustersChanged;
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

/**
 * Link status per direction, from what the agents report.
 * <p>
 * Steady state reads the agents' ClusterMesh metrics through the API server's pod proxy: one
 * cheap GET per agent, no process started in the pod. Only when a remote is not ready does it
 * exec {@code cilium-dbg status -o json} in one such agent, because only that output says why
 * (config not retrieved, which sync is pending, Cilium's own error text) — exec is costly and
 * needs more rights, so it is kept for the case where the answer is worth it (contract §7, §8).
 */
@ApplicationScoped
public class LinkStatusService {
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(3);

    /** One cluster's agents' view of every remote they are configured for. */
    record ClusterReport(String clusterName, Map<String, RemoteReadiness> remotes, double latencyMs, boolean simulated) {
    }

    /** One cluster's last agent verdicts and what they were read against. */
    private record Scraped(ManagedCluster cluster, String inputs, ClusterReport report, long atNanos) {
    }

    private final Map<String, Scraped> scraped = new ConcurrentHashMap<>();
    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final Clock clock;
    private final String namespace;

    public LinkStatusService(ClusterRegistry registry, FanOut fanOut, Clock clock, MeshConfig config) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.clock = clock;
        this.namespace = config.namespace();
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
        return linksAmong(registry.clusters(), Duration.ZERO);
    }

    /**
     * Every link for the background health refresh: a cluster's agent verdicts younger than
     * {@code reuse} are used again while what they depend on locally (cilium-config, the
     * cilium-clustermesh Secret, the agent pods, all read from the watches) is unchanged; any
     * change there makes that cluster's agents be asked at once.
     */
    public List<LinkView> links(Duration reuse) {
        var clusters = registry.clusters();
        // Clusters that left the registry leave their last verdicts behind otherwise.
        scraped.keySet().retainAll(clusters.stream().map(ManagedCluster::name).toList());
        return linksAmong(clusters, reuse);
    }

    /** The link between two clusters, asking only those two; empty when neither side has an entry for the other. */
    public Optional<LinkView> link(String a, String b) {
        String key = key(a, b);
        return linksAmong(List.of(registry.require(a), registry.require(b)), Duration.ZERO).stream()
                .filter(l -> key(l.a(), l.b()).equals(key)).findFirst();
    }

    private List<LinkView> linksAmong(Collection<ManagedCluster> clusters, Duration reuse) {
        var answers = fanOut.ask(clusters, c -> report(c, reuse));
        Instant now = clock.instant();
        Map<String, String> nameByCiliumName = new HashMap<>();
        answers.forEach((cluster, answer) -> {
            if (answer.ok() && answer.value().clusterName() != null) {
                nameByCiliumName.put(answer.value().clusterName(), cluster.name());
            }
        });
        Map<String, Map<String, LinkView.Direction>> directions = new TreeMap<>();
        Map<String, Boolean> simulated = new HashMap<>();
        answers.forEach((cluster, answer) -> {
            simulated.put(cluster.name(), cluster.simulated());
            if (!answer.ok()) {
                return;
            }
            answer.value().remotes().forEach((remoteCiliumName, readiness) -> {
                String remote = nameByCiliumName.getOrDefault(remoteCiliumName, remoteCiliumName);
                directions.computeIfAbsent(key(cluster.name(), remote), k -> new LinkedHashMap<>())
                        .put(cluster.name(), direction(cluster.name(), remote, readiness, answer.value().latencyMs(), now));
            });
        });
        Map<String, ManagedCluster> byName = new HashMap<>();
        clusters.forEach(c -> byName.put(c.name(), c));
        List<LinkView> links = new ArrayList<>();
        directions.forEach((key, byFrom) -> {
            String[] pair = key.split("\\|");
            List<LinkView.Direction> both = new ArrayList<>();
            for (String from : pair) {
                String to = from.equals(pair[0]) ? pair[1] : pair[0];
                LinkView.Direction d = byFrom.get(from);
                if (d == null) {
                    var answer = byName.containsKey(from) ? answers.get(byName.get(from)) : null;
                    String reason = answer == null ? "cluster " + from + " is not managed by this service"
                            : !answer.ok() ? "cluster " + from + " did not answer: " + answer.error()
                            : from + " has no entry for " + to;
                    String hint = answer != null && answer.ok() ? "connect them: PUT /api/v1/links/" + pair[0] + "/" + pair[1]
                            : "check the cluster's API server and kubeconfig";
                    d = new LinkView.Direction(from, to, answer != null && answer.ok() ? "not-ready" : "unknown", 0, 0, reason, hint, null, now);
                }
                both.add(d);
            }
            boolean sim = simulated.getOrDefault(pair[0], false) || simulated.getOrDefault(pair[1], false);
            links.add(new LinkView(pair[0], pair[1], overall(both), sim, both, null));
        });
        return links;
    }

    static String overall(List<LinkView.Direction> directions) {
        long ready = directions.stream().filter(d -> d.status().equals("ready")).count();
        return ready == directions.size() ? "healthy" : ready == 0 ? "down" : "degraded";
    }

    private static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    private static LinkView.Direction direction(String from, String to, RemoteReadiness readiness, double latencyMs, Instant now) {
        boolean ready = readiness.allReady();
        var verdict = readiness.dominant();
        String reason = ready ? "all " + readiness.total() + " agents ready" : verdict.text();
        return new LinkView.Direction(from, to, ready ? "ready" : "not-ready", readiness.ready(), readiness.total(), reason,
                ready ? null : verdict.hint(), latencyMs, now);
    }

    ClusterReport report(ManagedCluster cluster) {
        return report(cluster, Duration.ZERO);
    }

    ClusterReport report(ManagedCluster cluster, Duration reuse) {
        long started = System.nanoTime();
        var gw = cluster.watched();
        var configMap = gw.configMap(namespace, CiliumNames.CONFIG_MAP);
        CiliumConfig config = configMap.map(CiliumConfig::from).orElse(null);
        String clusterName = config == null ? null : config.clusterName();
        var secret = gw.secret(namespace, CiliumNames.CLUSTERMESH_SECRET);
        Map<String, String> entries = secret.map(ApiServerObjects::decodeAll).orElse(Map.of());
        List<String> expected = ClusterMeshSecretEntries.expectedRemotes(entries, clusterName);
        Map<String, RemoteReadiness> remotes = new TreeMap<>();
        if (expected.isEmpty()) {
            return new ClusterReport(clusterName, remotes, elapsedMs(started), cluster.simulated());
        }
        List<Pod> agents = gw.pods(namespace, Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE));
        String inputs = versionOf(configMap) + "|" + versionOf(secret) + "|" + agents.stream()
                .map(p -> p.getMetadata().getName() + ":" + p.getMetadata().getResourceVersion()).sorted().toList();
        Scraped previous = scraped.get(cluster.name());
        // Only a healthy reading is reused: while a remote is not ready, its agents are asked every time.
        if (previous != null && previous.cluster() == cluster && previous.inputs().equals(inputs)
                && System.nanoTime() - previous.atNanos() < reuse.toNanos()
                && previous.report().remotes().values().stream().allMatch(RemoteReadiness::allReady)) {
            return previous.report();
        }
        Map<String, List<RemoteReason.RemoteVerdict>> perRemote = new LinkedHashMap<>();
        expected.forEach(r -> perRemote.put(r, new ArrayList<>()));
        for (Map<String, ClusterMeshMetrics.RemoteClusterMetrics> reported : scrapeAll(cluster, agents)) {
            for (String remote : expected) {
                perRemote.get(remote).add(verdictFromMetrics(remote, reported));
            }
        }
        for (String remote : expected) {
            RemoteReadiness readiness = RemoteReadiness.aggregate(remote, perRemote.get(remote));
            if (!readiness.allReady() && !agents.isEmpty()) {
                readiness = explainWithAgentStatus(cluster, agents, remote, readiness);
            }
            remotes.put(remote, readiness);
        }
        ClusterReport report = new ClusterReport(clusterName, remotes, elapsedMs(started), cluster.simulated());
        scraped.put(cluster.name(), new Scraped(cluster, inputs, report, started));
        return report;
    }

    private static String versionOf(Optional<? extends HasMetadata> object) {
        return object.map(o -> o.getMetadata().getResourceVersion()).orElse("-");
    }

    /** Every agent at once: a cluster's answer takes one scrape, not one per agent. */
    private List<Map<String, ClusterMeshMetrics.RemoteClusterMetrics>> scrapeAll(ManagedCluster cluster, List<Pod> agents) {
        if (agents.size() == 1) {
            return java.util.Collections.singletonList(scrape(cluster, agents.get(0)));
        }
        var futures = agents.stream().map(agent -> CompletableFuture.supplyAsync(() -> scrape(cluster, agent), fanOut.executor())).toList();
        List<Map<String, ClusterMeshMetrics.RemoteClusterMetrics>> results = new ArrayList<>();
        futures.forEach(f -> results.add(f.join()));
        return results;
    }

    private Map<String, ClusterMeshMetrics.RemoteClusterMetrics> scrape(ManagedCluster cluster, Pod agent) {
        try {
            String text = cluster.gateway().podProxyGet(namespace, agent.getMetadata().getName(), CiliumNames.AGENT_METRICS_PORT, "/metrics");
            return ClusterMeshMetrics.parseAgent(text).remotes();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static RemoteReason.RemoteVerdict verdictFromMetrics(String remote, Map<String, ClusterMeshMetrics.RemoteClusterMetrics> reported) {
        if (reported == null) {
            return new RemoteReason.RemoteVerdict(remote, RemoteReason.UNKNOWN, "agent metrics unavailable",
                    "enable prometheus.enabled in Cilium's Helm values (agent metrics on :9962), or check the agent pod");
        }
        var m = reported.get(remote);
        if (m == null) {
            return RemoteReason.classify(remote, null);
        }
        if (m.ready()) {
            return new RemoteReason.RemoteVerdict(remote, RemoteReason.READY, "ready", null);
        }
        return new RemoteReason.RemoteVerdict(remote, RemoteReason.NOT_READY,
                "not ready (" + m.failures() + " connection failures" + (m.lastFailure() == null ? "" : ", last at " + m.lastFailure()) + ")",
                "check that " + remote + "'s clustermesh endpoint is reachable from this cluster (GET /api/v1/reachability) and trusts this cluster's certificate");
    }

    /** The detailed path: ask one not-ready agent for its full status to name the cause. */
    private RemoteReadiness explainWithAgentStatus(ManagedCluster cluster, List<Pod> agents, String remote, RemoteReadiness readiness) {
        try {
            String json = cluster.gateway().exec(namespace, agents.get(0).getMetadata().getName(), CiliumNames.AGENT_CONTAINER,
                    EXEC_TIMEOUT, AgentCommands.STATUS.toArray(String[]::new));
            var verdict = RemoteReason.classify(remote, AgentStatus.parse(json).remote(remote).orElse(null));
            return new RemoteReadiness(remote, readiness.ready(), readiness.total(), verdict);
        } catch (RuntimeException e) {
            return readiness;
        }
    }

    private static double elapsedMs(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 10_000.0) / 100.0;
    }
}
