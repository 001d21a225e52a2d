package io.clustermesh.controller.wireguard;

import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumNodes;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a WireGuard rotation of one cluster is planned from, read once under the cluster's lock:
 * its nodes (published key, agent pod), the rotation state it keeps, and the connected clusters
 * whose agents must learn each new key and whose keys a new one must not repeat.
 *
 * @param connectedKeys per connected cluster, the key each of its nodes publishes (an unanswering
 *     cluster is missing here and named in {@code unanswered})
 */
record RotationSnapshot(
        String cluster,
        boolean wireguardEnabled,
        List<Node> nodes,
        RotationState.WireGuard state,
        Map<String, Map<String, String>> connectedKeys,
        List<String> unanswered) {

    /** A node: the key its CiliumNode publishes (null if none) and its agent pod (null if none runs). */
    record Node(String name, String publishedKey, Agent agent) {}

    record Agent(String pod, String uid, boolean ready) {}

    RotationSnapshot {
        nodes = List.copyOf(nodes);
        connectedKeys = Map.copyOf(connectedKeys);
        unanswered = List.copyOf(unanswered);
    }

    /** Every cluster whose agents must list a new key of this cluster: this one, then the connected ones. */
    List<String> observers() {
        List<String> all = new ArrayList<>();
        all.add(cluster);
        all.addAll(connectedKeys.keySet().stream().sorted().toList());
        all.addAll(unanswered);
        return all;
    }

    static RotationSnapshot read(ManagedCluster cluster, List<ManagedCluster> others, FanOut fanOut, String namespace) {
        ClusterGateway gw = cluster.gateway();
        CiliumConfig cilium = gw.configMap(namespace, CiliumNames.CONFIG_MAP)
                .map(CiliumConfig::from)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CILIUM_NOT_READY_FOR_MESH,
                        "cluster " + cluster.name() + " has no " + CiliumNames.CONFIG_MAP));
        Map<String, Pod> agents = NodeKeys.agentsByNode(gw, namespace);
        List<Node> nodes = new ArrayList<>();
        for (GenericKubernetesResource cn : CiliumNodes.all(gw)) {
            String name = cn.getMetadata().getName();
            Pod agent = agents.get(name);
            nodes.add(new Node(
                    name,
                    NodeKeys.published(cn),
                    agent == null
                            ? null
                            : new Agent(
                                    agent.getMetadata().getName(),
                                    agent.getMetadata().getUid(),
                                    NodeKeys.ready(agent))));
        }
        RotationState.WireGuard state = RotationState.read(gw, namespace);
        Map<String, Map<String, String>> connectedKeys = new LinkedHashMap<>();
        List<String> unanswered = new ArrayList<>();
        List<ManagedCluster> connected = connected(gw, cilium.clusterName(), others, fanOut, namespace);
        var answers = fanOut.ask(connected, c -> CiliumNodes.publishedKeys(c.gateway()));
        for (ManagedCluster c : connected) {
            var answer = answers.get(c);
            if (answer.ok()) {
                connectedKeys.put(c.name(), answer.value());
            } else {
                unanswered.add(c.name());
            }
        }
        return new RotationSnapshot(cluster.name(), cilium.wireguardEnabled(), nodes, state, connectedKeys, unanswered);
    }

    /** Managed clusters this one's agents are configured for (cilium-clustermesh entries, by Cilium cluster name). */
    private static List<ManagedCluster> connected(
            ClusterGateway gw, String localName, List<ManagedCluster> others, FanOut fanOut, String namespace) {
        Map<String, String> entries = gw.secret(namespace, CiliumNames.CLUSTERMESH_SECRET)
                .map(s -> decode(s.getData()))
                .orElse(Map.of());
        List<String> remotes = ClusterMeshSecretEntries.expectedRemotes(entries, localName);
        if (remotes.isEmpty()) {
            return List.of();
        }
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

    private static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> plain = new HashMap<>();
        if (data != null) {
            data.forEach((k, v) -> plain.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return plain;
    }
}
