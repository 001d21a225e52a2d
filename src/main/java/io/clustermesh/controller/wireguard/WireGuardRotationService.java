package io.clustermesh.controller.wireguard;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.AgentStatusParser;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.cilium.EncryptionStatus;
import io.clustermesh.controller.cilium.WireguardNodeKey;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.config.RotationConfig;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.mesh.MutationResult;
import io.clustermesh.controller.operations.OperationContext;
import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Polling;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.pki.WireGuardKeys;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * WireGuard node keys: what each node publishes, how old it is, and the rolling rotation of
 * contract §10 — one node at a time, the private key regenerated on the node by its own agent,
 * every peer in this and every connected cluster verified before the next node is touched.
 */
@ApplicationScoped
public class WireGuardRotationService {
    public static final String KIND = "wireguard-rotation";
    private static final Logger LOG = Logger.getLogger(WireGuardRotationService.class);

    /** Optional body of {@code POST .../wireguard/rotations}. */
    public record RotationRequest(List<String> nodes, Integer maxUnavailable) {}

    /** One node's key age, for health and the scheduler. */
    public record NodeKeyAge(
            String cluster,
            String node,
            String fingerprint,
            Instant keySince,
            Long keyAgeDays,
            boolean due,
            String problem) {}

    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final OperationService operations;
    private final Clock clock;
    private final String namespace;
    private final RotationConfig config;

    public WireGuardRotationService(
            ClusterRegistry registry,
            FanOut fanOut,
            OperationService operations,
            Clock clock,
            MeshConfig meshConfig,
            RotationConfig config) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.operations = operations;
        this.clock = clock;
        this.namespace = meshConfig.namespace();
        this.config = config;
    }

    public WireGuardView view(String clusterName) {
        ManagedCluster cluster = registry.require(clusterName);
        // A view only reads: the watched view keeps the health refresh's key-age reading free.
        ClusterGateway gw = cluster.watched();
        boolean enabled = gw.configMap(namespace, CiliumNames.CONFIG_MAP)
                .map(CiliumConfig::from)
                .map(CiliumConfig::wireguardEnabled)
                .orElse(false);
        RotationState.WireGuard state = RotationState.read(gw, namespace);
        List<GenericKubernetesResource> ciliumNodes = gw.ciliumNodes();
        Map<String, Integer> keyUse = keyUse(ciliumNodes);
        Instant now = clock.instant();
        List<WireGuardView.NodeKey> nodes = new ArrayList<>();
        for (GenericKubernetesResource cn : sorted(ciliumNodes)) {
            nodes.add(nodeKey(cn, state, keyUse, now));
        }
        var p = state.inProgress();
        var rotation = p == null
                ? null
                : new WireGuardView.Rotation(p.operation(), p.nodes(), p.done(), p.current(), p.startedAt());
        return new WireGuardView(
                cluster.name(),
                cluster.simulated(),
                enabled,
                config.wireguardMaxAge().toDays(),
                nodes,
                rotation);
    }

    /** Every managed cluster's node keys (unreachable clusters are left out); for health and the scheduler. */
    public List<NodeKeyAge> keyAges() {
        var answers = fanOut.ask(registry.clusters(), c -> view(c.name()));
        List<NodeKeyAge> ages = new ArrayList<>();
        answers.values().stream()
                .filter(FanOut.Answer::ok)
                .map(FanOut.Answer::value)
                .sorted(Comparator.comparing(WireGuardView::cluster))
                .forEach(v -> v.nodes()
                        .forEach(n -> ages.add(new NodeKeyAge(
                                v.cluster(),
                                n.node(),
                                n.fingerprint(),
                                n.keySince(),
                                n.keyAgeDays(),
                                n.due(),
                                n.problem()))));
        return ages;
    }

    /**
     * Records keys seen for the first time in the cluster's rotation state, so their age is known
     * from now on (the scheduler calls this; reading a view never writes).
     */
    public void observe(String clusterName) {
        ManagedCluster cluster = registry.require(clusterName);
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, Instant> created = new HashMap<>();
        for (GenericKubernetesResource cn : cluster.gateway().ciliumNodes()) {
            WireguardNodeKey.publicKeyOf(cn.getMetadata())
                    .filter(k -> problemWith(k) == null)
                    .ifPresent(k -> fingerprints.put(cn.getMetadata().getName(), fingerprint(k)));
            parseTime(cn.getMetadata().getCreationTimestamp())
                    .ifPresent(t -> created.put(cn.getMetadata().getName(), t));
        }
        RotationState.WireGuard state = RotationState.read(cluster.gateway(), namespace);
        boolean unknown = fingerprints.entrySet().stream().anyMatch(e -> {
            var known = state.nodes().get(e.getKey());
            return known == null || !e.getValue().equals(known.fingerprint());
        });
        if (unknown) {
            RotationState.update(
                    cluster.gateway(),
                    namespace,
                    s -> RotationState.observe(s, fingerprints, created, clock.instant()));
        }
    }

    public MutationResult rotate(String clusterName, RotationRequest request, boolean dryRun, String caller) {
        int maxUnavailable = request == null || request.maxUnavailable() == null ? 1 : request.maxUnavailable();
        if (maxUnavailable != 1) {
            throw ProblemException.invalid(
                    "maxUnavailable",
                    "maxUnavailable must be 1: two nodes of one cluster are never rotated at once (contract §10)");
        }
        if (request != null && request.nodes() != null && request.nodes().isEmpty()) {
            // An empty list read as "all" rotated every node of a cluster (issue 15): all is said by leaving nodes out.
            throw ProblemException.invalid(
                    "nodes", "nodes is empty; list the nodes to rotate, or omit nodes to rotate every node");
        }
        ManagedCluster cluster = registry.require(clusterName);
        // The lock comes before the reads, so the plan (and the resume point) cannot be stale (issue 15).
        try (var reservation =
                dryRun ? null : operations.reserve(KIND, cluster.name(), caller, List.of(cluster.name()))) {
            return rotate(cluster, request, reservation);
        }
    }

    private MutationResult rotate(
            ManagedCluster cluster, RotationRequest request, OperationService.Reservation reservation) {
        String clusterName = cluster.name();
        ClusterGateway gw = cluster.gateway();
        CiliumConfig cilium = gw.configMap(namespace, CiliumNames.CONFIG_MAP)
                .map(CiliumConfig::from)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CILIUM_NOT_READY_FOR_MESH,
                        "cluster " + clusterName + " has no " + CiliumNames.CONFIG_MAP));
        if (!cilium.wireguardEnabled()) {
            throw new ProblemException(
                    ProblemType.WIREGUARD_NOT_ENABLED,
                    "cluster " + clusterName + " does not use WireGuard encryption (" + CiliumNames.KEY_ENABLE_WIREGUARD
                            + " is not \"true\"); there are no node keys to rotate");
        }
        List<String> all = sorted(gw.ciliumNodes()).stream()
                .map(cn -> cn.getMetadata().getName())
                .toList();
        RotationState.WireGuard state = RotationState.read(gw, namespace);
        List<String> warnings = new ArrayList<>();
        List<String> nodes;
        if (state.inProgress() != null
                && (request == null
                        || request.nodes() == null
                        || request.nodes().isEmpty())) {
            nodes = state.inProgress().remaining().stream()
                    .filter(all::contains)
                    .toList();
            warnings.add("resuming the rotation started " + state.inProgress().startedAt() + " at node "
                    + (nodes.isEmpty() ? "-" : nodes.get(0)) + "; "
                    + state.inProgress().done().size() + " node(s) already done");
        } else {
            nodes = requestedNodes(request, all);
        }
        Plan plan = plan(cluster.name(), nodes, warnings);
        if (reservation == null) {
            return new MutationResult.Planned(plan);
        }
        var operation = operations.start(reservation, plan.warnings(), op -> {
            op.plan(nodes.stream().map(n -> stepName(cluster.name(), n)).toList());
            run(cluster, nodes, op);
        });
        return new MutationResult.Started(operation, plan);
    }

    /** The nodes whose key is older than the maximum age (or unusable), in name order. */
    public List<String> dueNodes(String clusterName) {
        return view(clusterName).nodes().stream()
                .filter(WireGuardView.NodeKey::due)
                .map(WireGuardView.NodeKey::node)
                .toList();
    }

    private static List<String> requestedNodes(RotationRequest request, List<String> all) {
        if (request == null || request.nodes() == null || request.nodes().isEmpty()) {
            return all;
        }
        if (new LinkedHashSet<>(request.nodes()).size() != request.nodes().size()) {
            throw ProblemException.invalid("nodes", "a node is listed twice");
        }
        for (String node : request.nodes()) {
            if (!all.contains(node)) {
                throw ProblemException.invalid("nodes", "no CiliumNode named '" + node + "' in this cluster");
            }
        }
        return List.copyOf(request.nodes());
    }

    private static Plan plan(String cluster, List<String> nodes, List<String> warnings) {
        List<Step> changes = nodes.stream()
                .map(n -> (Step) new Step.RunByService(
                        cluster,
                        "update",
                        CiliumNames.CILIUM_NODE_KIND,
                        null,
                        n,
                        "delete the WireGuard key file in the agent on " + n
                                + ", restart that agent, wait for a new unique key and for every peer to list it"))
                .toList();
        return new Plan(KIND, cluster, changes, warnings);
    }

    private static String stepName(String cluster, String node) {
        return cluster + ": rotate WireGuard key of " + node;
    }

    private void run(ManagedCluster cluster, List<String> nodes, OperationContext op) {
        RotationState.update(
                cluster.gateway(),
                namespace,
                s -> s.inProgress() != null
                        ? s
                        : new RotationState.WireGuard(
                                s.nodes(),
                                new RotationState.InProgress(
                                        op.operationId(), nodes, List.of(), null, null, clock.instant())));
        for (int i = 0; i < nodes.size(); i++) {
            String node = nodes.get(i);
            String step = stepName(cluster.name(), node);
            op.start(step);
            try {
                String message = rotateNode(cluster, nodes, node, op);
                op.succeed(step, message);
            } catch (ProblemException e) {
                List<String> untouched = nodes.subList(i + 1, nodes.size());
                op.fail(step, e.getMessage());
                String detail = "rotation of " + cluster.name() + " stopped at node " + node + ": " + e.getMessage()
                        + (untouched.isEmpty() ? "" : "; untouched: " + String.join(", ", untouched))
                        + "; fix the cause and POST the rotation again to resume at " + node;
                throw new ProblemException(
                        e.type() == ProblemType.DUPLICATE_WIREGUARD_KEY ? e.type() : ProblemType.ROTATION_STOPPED,
                        detail);
            }
        }
    }

    /** Contract §10 steps (1)–(4) for one node; returns the step's message. */
    private String rotateNode(ManagedCluster cluster, List<String> nodes, String node, OperationContext op) {
        ClusterGateway gw = cluster.gateway();
        long started = System.nanoTime();
        RotationState.WireGuard state = RotationState.read(gw, namespace);
        String published = publishedKey(gw, node);
        var p = state.inProgress();
        String recordedOld = p != null && node.equals(p.current()) ? p.oldPublicKey() : null;
        boolean alreadyRegenerated = recordedOld != null
                && published != null
                && !published.equals(recordedOld)
                && problemWith(published) == null
                && duplicateOf(cluster, node, published).isEmpty();
        String oldKey = recordedOld != null ? recordedOld : published;
        if (oldKey == null) {
            throw new ProblemException(
                    ProblemType.ROTATION_STOPPED,
                    "node " + node + " publishes no WireGuard key on its CiliumNode; is its agent running?");
        }
        RotationState.update(
                gw, namespace, s -> RotationState.begin(s, op.operationId(), nodes, node, oldKey, clock.instant()));
        String oldPodUid = null;
        if (!alreadyRegenerated) {
            requireOtherAgentsReady(gw, node);
            Pod agent = agentOn(gw, node)
                    .orElseThrow(() -> new ProblemException(
                            ProblemType.ROTATION_STOPPED,
                            "node " + node + " has no agent pod (" + CiliumNames.AGENT_SELECTOR_KEY + "="
                                    + CiliumNames.AGENT_SELECTOR_VALUE + ")"));
            gw.exec(
                    namespace,
                    agent.getMetadata().getName(),
                    CiliumNames.AGENT_CONTAINER,
                    config.wireguard().execTimeout(),
                    AgentCommands.REMOVE_WIREGUARD_KEY.toArray(String[]::new));
            gw.delete(Pod.class, namespace, agent.getMetadata().getName());
            oldPodUid = agent.getMetadata().getUid();
            LOG.infof(
                    "rotation %s: %s/%s key file removed, agent pod %s restarted",
                    op.operationId(), cluster.name(), node, agent.getMetadata().getName());
        }
        String newKey = awaitNewKey(cluster, node, oldKey, published, oldPodUid);
        int peers = awaitPeers(cluster, node, newKey);
        RotationState.update(
                gw, namespace, s -> RotationState.finishNode(s, node, fingerprint(newKey), clock.instant()));
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        return "key " + fingerprint(oldKey) + " → " + fingerprint(newKey) + "; " + peers + " peer agent(s) list it; "
                + seconds + "s";
    }

    /** Never take a second node down: every other agent of the cluster must be Ready first. */
    private void requireOtherAgentsReady(ClusterGateway gw, String node) {
        List<String> notReady = new ArrayList<>();
        Map<String, Pod> byNode = agentsByNode(gw);
        for (GenericKubernetesResource cn : gw.ciliumNodes()) {
            String other = cn.getMetadata().getName();
            if (!other.equals(node) && (byNode.get(other) == null || !ready(byNode.get(other)))) {
                notReady.add(other);
            }
        }
        if (!notReady.isEmpty()) {
            throw new ProblemException(
                    ProblemType.ROTATION_STOPPED,
                    "the agent on " + String.join(", ", notReady) + " is not ready; restarting " + node
                            + " now would take a second node down");
        }
    }

    private String awaitNewKey(ManagedCluster cluster, String node, String oldKey, String published, String oldPodUid) {
        ClusterGateway gw = cluster.gateway();
        long until = System.nanoTime() + config.wireguard().nodeTimeout().toNanos();
        String last = "not observed yet";
        while (true) {
            try {
                Optional<Pod> agent = agentOn(gw, node);
                String key = publishedKey(gw, node);
                if (agent.isEmpty()) {
                    last = "no agent pod on the node (the DaemonSet has not recreated it)";
                } else if (oldPodUid != null
                        && oldPodUid.equals(agent.get().getMetadata().getUid())) {
                    last = "the old agent pod is still there";
                } else if (!ready(agent.get())) {
                    last = "agent pod " + agent.get().getMetadata().getName() + " is not Ready";
                } else if (key == null || key.equals(oldKey) || (oldPodUid != null && key.equals(published))) {
                    last = "the CiliumNode still publishes the old key " + (key == null ? "(none)" : fingerprint(key));
                } else {
                    String problem = problemWith(key);
                    if (problem != null) {
                        throw new ProblemException(
                                ProblemType.ROTATION_STOPPED,
                                "node " + node + " published an unusable WireGuard key: " + problem);
                    }
                    Optional<String> duplicate = duplicateOf(cluster, node, key);
                    if (duplicate.isPresent()) {
                        throw new ProblemException(
                                ProblemType.DUPLICATE_WIREGUARD_KEY,
                                "node " + node + " came back with WireGuard key "
                                        + fingerprint(key) + ", which " + duplicate.get()
                                        + " already uses; refused (the agents would drop one of them). "
                                        + "Check for a cloned node image or a copied " + CiliumNames.WG_KEY_FILE);
                    }
                    return key;
                }
            } catch (ProblemException e) {
                if (e.type() == ProblemType.DUPLICATE_WIREGUARD_KEY || e.type() == ProblemType.ROTATION_STOPPED) {
                    throw e;
                }
                last = e.getMessage();
            }
            if (System.nanoTime() > until) {
                throw new ProblemException(
                        ProblemType.ROTATION_STOPPED,
                        "node " + node + " did not come back with a new key within "
                                + config.wireguard().nodeTimeout().toSeconds() + "s: " + last);
            }
            pause();
        }
    }

    /** Waits until every agent of this cluster (except the node's own) and of every connected cluster lists the key. */
    private int awaitPeers(ManagedCluster cluster, String node, String newKey) {
        long until = System.nanoTime() + config.wireguard().peerTimeout().toNanos();
        String last;
        while (true) {
            List<ManagedCluster> observers = new ArrayList<>();
            observers.add(cluster);
            observers.addAll(connectedClusters(cluster));
            var answers =
                    fanOut.ask(observers, c -> missingPeer(c, cluster.name().equals(c.name()) ? node : null, newKey));
            List<String> missing = new ArrayList<>();
            int agents = 0;
            for (ManagedCluster c : observers) {
                var answer = answers.get(c);
                if (!answer.ok()) {
                    missing.add(c.name() + " (" + answer.error() + ")");
                } else {
                    missing.addAll(answer.value().missing());
                    agents += answer.value().agents();
                }
            }
            if (missing.isEmpty()) {
                return agents;
            }
            last = "not yet listed by " + String.join(", ", missing);
            if (System.nanoTime() > until) {
                throw new ProblemException(
                        ProblemType.ROTATION_STOPPED,
                        "the new key of " + node + " (" + fingerprint(newKey) + ") was " + last + " after "
                                + config.wireguard().peerTimeout().toSeconds() + "s");
            }
            pause();
        }
    }

    private record PeerCheck(int agents, List<String> missing) {}

    private PeerCheck missingPeer(ManagedCluster cluster, String exceptNode, String key) {
        ClusterGateway gw = cluster.gateway();
        List<String> missing = new ArrayList<>();
        int agents = 0;
        for (Pod agent : gw.pods(namespace, Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE))) {
            String agentNode = agent.getSpec() == null ? null : agent.getSpec().getNodeName();
            if (Objects.equals(agentNode, exceptNode)) {
                continue;
            }
            agents++;
            String where = cluster.name() + "/" + agentNode;
            try {
                String json = gw.exec(
                        namespace,
                        agent.getMetadata().getName(),
                        CiliumNames.AGENT_CONTAINER,
                        config.wireguard().execTimeout(),
                        AgentCommands.DEBUGINFO.toArray(String[]::new));
                EncryptionStatus.WireguardStatus wg = AgentStatusParser.parseDebugInfoWireguard(json);
                boolean listed = wg != null
                        && wg.interfaces().stream()
                                .filter(i -> i.peers() != null)
                                .flatMap(i -> i.peers().stream())
                                .anyMatch(peer -> key.equals(peer.publicKey()));
                if (!listed) {
                    missing.add(where);
                }
            } catch (RuntimeException e) {
                missing.add(where + " (debuginfo failed)");
            }
        }
        return new PeerCheck(agents, missing);
    }

    /** Registry clusters this one's agents are configured for (cilium-clustermesh entries, by Cilium cluster name). */
    private List<ManagedCluster> connectedClusters(ManagedCluster cluster) {
        Map<String, String> entries = cluster.gateway()
                .secret(namespace, CiliumNames.CLUSTERMESH_SECRET)
                .map(s -> decode(s.getData()))
                .orElse(Map.of());
        String localName = cluster.gateway()
                .configMap(namespace, CiliumNames.CONFIG_MAP)
                .map(CiliumConfig::from)
                .map(CiliumConfig::clusterName)
                .orElse(null);
        List<String> remotes = ClusterMeshSecretEntries.expectedRemotes(entries, localName);
        if (remotes.isEmpty()) {
            return List.of();
        }
        List<ManagedCluster> others = registry.clusters().stream()
                .filter(c -> !c.name().equals(cluster.name()))
                .toList();
        var names = fanOut.ask(
                others,
                c -> c.gateway()
                        .configMap(namespace, CiliumNames.CONFIG_MAP)
                        .map(CiliumConfig::from)
                        .map(CiliumConfig::clusterName)
                        .orElse(""));
        List<ManagedCluster> connected = new ArrayList<>();
        for (ManagedCluster c : others) {
            var answer = names.get(c);
            if ((answer.ok() && remotes.contains(answer.value())) || (!answer.ok() && remotes.contains(c.name()))) {
                connected.add(c);
            }
        }
        return connected;
    }

    /** Another node of this or a connected cluster publishing {@code key}, named; empty when unique. */
    private Optional<String> duplicateOf(ManagedCluster cluster, String node, String key) {
        List<ManagedCluster> mesh = new ArrayList<>();
        mesh.add(cluster);
        mesh.addAll(connectedClusters(cluster));
        var answers = fanOut.ask(mesh, c -> c.gateway().ciliumNodes());
        for (ManagedCluster c : mesh) {
            var answer = answers.get(c);
            if (!answer.ok()) {
                throw new ProblemException(
                        ProblemType.ROTATION_STOPPED,
                        "cannot check that the new key of " + node + " is unique: cluster " + c.name()
                                + " did not answer (" + answer.error() + ")");
            }
            for (GenericKubernetesResource cn : answer.value()) {
                String other = cn.getMetadata().getName();
                boolean self = c.name().equals(cluster.name()) && other.equals(node);
                if (!self
                        && key.equals(
                                WireguardNodeKey.publicKeyOf(cn.getMetadata()).orElse(null))) {
                    return Optional.of("node " + c.name() + "/" + other);
                }
            }
        }
        return Optional.empty();
    }

    private WireGuardView.NodeKey nodeKey(
            GenericKubernetesResource cn, RotationState.WireGuard state, Map<String, Integer> keyUse, Instant now) {
        String node = cn.getMetadata().getName();
        String key = WireguardNodeKey.publicKeyOf(cn.getMetadata()).orElse(null);
        String problem = key == null ? "no key published" : problemWith(key);
        if (problem == null && keyUse.getOrDefault(key, 0) > 1) {
            problem = "the same key is published by another node of this cluster";
        }
        boolean rotating =
                state.inProgress() != null && node.equals(state.inProgress().current());
        var known = state.nodes().get(node);
        Instant lastRotation = known == null ? null : known.lastRotation();
        if (key == null || problemWith(key) != null) {
            return new WireGuardView.NodeKey(node, null, null, null, null, null, lastRotation, true, rotating, problem);
        }
        String fingerprint = fingerprint(key);
        Instant since;
        String source;
        if (known != null && fingerprint.equals(known.fingerprint())) {
            since = known.since();
            source = Objects.equals(known.since(), known.lastRotation()) ? "rotation" : "first-seen";
        } else {
            since = parseTime(cn.getMetadata().getCreationTimestamp()).orElse(now);
            source = "node-created";
        }
        Duration age = Duration.between(since, now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        boolean due = problem != null || age.compareTo(config.wireguardMaxAge()) >= 0;
        return new WireGuardView.NodeKey(
                node, fingerprint, since, age.toSeconds(), age.toDays(), source, lastRotation, due, rotating, problem);
    }

    private static Optional<Instant> parseTime(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Why a published key is unusable, or null (32 bytes of canonical base64, not all zeroes). */
    static String problemWith(String publicKey) {
        try {
            WireGuardKeys.validatePublicKey(publicKey, "publicKey");
            return null;
        } catch (ProblemException e) {
            return e.getMessage();
        }
    }

    static String fingerprint(String publicKey) {
        return WireGuardKeys.fingerprint(Base64.getDecoder().decode(publicKey));
    }

    private static Map<String, Integer> keyUse(List<GenericKubernetesResource> ciliumNodes) {
        Map<String, Integer> use = new HashMap<>();
        ciliumNodes.forEach(
                cn -> WireguardNodeKey.publicKeyOf(cn.getMetadata()).ifPresent(k -> use.merge(k, 1, Integer::sum)));
        return use;
    }

    private static List<GenericKubernetesResource> sorted(List<GenericKubernetesResource> ciliumNodes) {
        return ciliumNodes.stream()
                .sorted(Comparator.comparing(cn -> cn.getMetadata().getName()))
                .toList();
    }

    private String publishedKey(ClusterGateway gw, String node) {
        return gw.ciliumNode(node)
                .flatMap(cn -> WireguardNodeKey.publicKeyOf(cn.getMetadata()))
                .orElse(null);
    }

    private Map<String, Pod> agentsByNode(ClusterGateway gw) {
        Map<String, Pod> byNode = new HashMap<>();
        for (Pod pod : gw.pods(namespace, Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE))) {
            if (pod.getSpec() != null
                    && pod.getSpec().getNodeName() != null
                    && pod.getMetadata().getDeletionTimestamp() == null) {
                byNode.put(pod.getSpec().getNodeName(), pod);
            }
        }
        return byNode;
    }

    private Optional<Pod> agentOn(ClusterGateway gw, String node) {
        return Optional.ofNullable(agentsByNode(gw).get(node));
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> plain = new HashMap<>();
        if (data != null) {
            data.forEach((k, v) -> plain.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return plain;
    }

    private void pause() {
        Polling.pause(config.wireguard().pollInterval());
    }
}
