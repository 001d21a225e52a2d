package io.clustermesh.controller.wireguard;

import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumNodes;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.config.RotationConfig;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.wireguard.WireGuardRotationService.NodeKeyAge;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What each node publishes and how old its key is (a view, the health key ages, the scheduler's
 * due nodes), and the recording of keys seen for the first time. Reading never writes.
 */
@ApplicationScoped
public class WireGuardKeyReader {
    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final Clock clock;
    private final String namespace;
    private final RotationConfig config;

    public WireGuardKeyReader(
            ClusterRegistry registry, FanOut fanOut, Clock clock, MeshConfig meshConfig, RotationConfig config) {
        this.registry = registry;
        this.fanOut = fanOut;
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
        List<GenericKubernetesResource> ciliumNodes = CiliumNodes.all(gw);
        Map<String, Integer> keyUse = new HashMap<>();
        ciliumNodes.stream()
                .map(NodeKeys::published)
                .filter(Objects::nonNull)
                .forEach(k -> keyUse.merge(k, 1, Integer::sum));
        Instant now = clock.instant();
        List<WireGuardView.NodeKey> nodes = new ArrayList<>();
        for (GenericKubernetesResource cn : ciliumNodes) {
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
        for (GenericKubernetesResource cn : CiliumNodes.all(cluster.gateway())) {
            String key = NodeKeys.published(cn);
            if (key != null && NodeKeys.problemWith(key) == null) {
                fingerprints.put(cn.getMetadata().getName(), NodeKeys.fingerprint(key));
            }
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

    private WireGuardView.NodeKey nodeKey(
            GenericKubernetesResource cn, RotationState.WireGuard state, Map<String, Integer> keyUse, Instant now) {
        String node = cn.getMetadata().getName();
        String key = NodeKeys.published(cn);
        String problem = key == null ? "no key published" : NodeKeys.problemWith(key);
        if (problem == null && keyUse.getOrDefault(key, 0) > 1) {
            problem = "the same key is published by another node of this cluster";
        }
        boolean rotating =
                state.inProgress() != null && node.equals(state.inProgress().current());
        var known = state.nodes().get(node);
        Instant lastRotation = known == null ? null : known.lastRotation();
        if (key == null || NodeKeys.problemWith(key) != null) {
            return new WireGuardView.NodeKey(node, null, null, null, null, null, lastRotation, true, rotating, problem);
        }
        String fingerprint = NodeKeys.fingerprint(key);
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
}
