package io.clustermesh.controller.wireguard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rotation state kept in the cluster it concerns (a ConfigMap we own in the Cilium namespace), so
 * a restarted service — or another replica — knows key ages and an interrupted rotation. It holds
 * only public keys and times: nothing secret.
 */
public final class RotationState {
    public static final String CONFIG_MAP = "clustermesh-controller-rotation";
    static final String WIREGUARD_KEY = "wireguard.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** What we know of one node's current key: since when it is in use, when we last rotated it. */
    public record NodeRecord(String fingerprint, Instant since, Instant lastRotation) {}

    /**
     * A rotation that has not finished: its nodes in order, those done, and the key the current
     * node had before (so a re-run can tell "already regenerated" from "not yet").
     */
    public record InProgress(
            String operation,
            List<String> nodes,
            List<String> done,
            String current,
            String oldPublicKey,
            Instant startedAt) {
        public InProgress {
            nodes = List.copyOf(nodes);
            done = done == null ? List.of() : List.copyOf(done);
        }

        List<String> remaining() {
            return nodes.stream().filter(n -> !done.contains(n)).toList();
        }
    }

    public record WireGuard(Map<String, NodeRecord> nodes, InProgress inProgress) {
        public WireGuard {
            nodes = nodes == null ? Map.of() : Map.copyOf(new TreeMap<>(nodes));
        }

        static final WireGuard EMPTY = new WireGuard(Map.of(), null);
    }

    private RotationState() {}

    public static WireGuard read(ClusterGateway gateway, String namespace) {
        return gateway.configMap(namespace, CONFIG_MAP)
                .map(RotationState::wireGuardOf)
                .orElse(WireGuard.EMPTY);
    }

    static WireGuard wireGuardOf(ConfigMap configMap) {
        String text = configMap.getData() == null ? null : configMap.getData().get(WIREGUARD_KEY);
        if (text == null || text.isBlank()) {
            return WireGuard.EMPTY;
        }
        try {
            return JSON.readValue(text, WireGuard.class);
        } catch (JsonProcessingException e) {
            // A hand-edited, broken state only loses ages; rotations still verify everything live.
            return WireGuard.EMPTY;
        }
    }

    /** Read-modify-write under the ConfigMap's resourceVersion; a concurrent writer makes this fail (409) rather than be overwritten. */
    static WireGuard update(
            ClusterGateway gateway, String namespace, java.util.function.UnaryOperator<WireGuard> change) {
        ConfigMap desired = changed(gateway, namespace, change);
        gateway.apply(desired);
        return wireGuardOf(desired);
    }

    /** The state ConfigMap as read now with {@code change} applied, carrying the resourceVersion it was read at. */
    static ConfigMap changed(
            ClusterGateway gateway, String namespace, java.util.function.UnaryOperator<WireGuard> change) {
        Optional<ConfigMap> current = gateway.configMap(namespace, CONFIG_MAP);
        WireGuard next = change.apply(current.map(RotationState::wireGuardOf).orElse(WireGuard.EMPTY));
        ConfigMap desired = current.map(cm -> new ConfigMapBuilder(cm).build())
                .orElseGet(() -> new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(CONFIG_MAP)
                        .withNamespace(namespace)
                        .withLabels(MeshLabels.ours())
                        .endMetadata()
                        .build());
        Map<String, String> data = new TreeMap<>(desired.getData() == null ? Map.of() : desired.getData());
        try {
            data.put(WIREGUARD_KEY, JSON.writeValueAsString(next));
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.INTERNAL, "cannot write rotation state");
        }
        desired.setData(data);
        return desired;
    }

    static WireGuard begin(
            WireGuard state, String operation, List<String> nodes, String node, String oldPublicKey, Instant now) {
        InProgress previous = state.inProgress();
        List<String> done = previous == null ? List.of() : previous.done();
        List<String> order = previous == null ? nodes : previous.nodes();
        return new WireGuard(
                state.nodes(),
                new InProgress(
                        operation, order, done, node, oldPublicKey, previous == null ? now : previous.startedAt()));
    }

    static WireGuard finishNode(WireGuard state, String node, String fingerprint, Instant now) {
        Map<String, NodeRecord> nodes = new TreeMap<>(state.nodes());
        nodes.put(node, new NodeRecord(fingerprint, now, now));
        InProgress p = state.inProgress();
        if (p == null) {
            return new WireGuard(nodes, null);
        }
        List<String> done = new ArrayList<>(p.done());
        if (!done.contains(node)) {
            done.add(node);
        }
        InProgress next = new InProgress(p.operation(), p.nodes(), done, null, null, p.startedAt());
        return new WireGuard(nodes, next.remaining().isEmpty() ? null : next);
    }

    /**
     * Remembers keys seen for the first time. A node never seen before keeps the age the view already
     * showed (since {@code created}, its CiliumNode's creation); a key that changed behind our back counts from now.
     */
    static WireGuard observe(
            WireGuard state, Map<String, String> fingerprints, Map<String, Instant> created, Instant now) {
        Map<String, NodeRecord> nodes = new TreeMap<>(state.nodes());
        fingerprints.forEach((node, fp) -> {
            NodeRecord known = nodes.get(node);
            if (known == null) {
                nodes.put(node, new NodeRecord(fp, created.getOrDefault(node, now), null));
            } else if (!fp.equals(known.fingerprint())) {
                nodes.put(node, new NodeRecord(fp, now, known.lastRotation()));
            }
        });
        return new WireGuard(nodes, state.inProgress());
    }
}
