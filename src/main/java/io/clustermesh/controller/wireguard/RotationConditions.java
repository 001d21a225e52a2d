package io.clustermesh.controller.wireguard;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.AgentStatusParser;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumNodes;
import io.clustermesh.controller.cilium.EncryptionStatus;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.operations.Step.Check;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the steps of a WireGuard rotation read when they run (contract §10): the waits' conditions
 * and the rotation-state records. The planner only decides which of these to run and in what
 * order; nothing here is read while planning.
 */
final class RotationConditions {
    private final FanOut fanOut;
    private final String namespace;
    private final Duration execTimeout;
    private final Clock clock;

    RotationConditions(FanOut fanOut, String namespace, Duration execTimeout, Clock clock) {
        this.fanOut = fanOut;
        this.namespace = namespace;
        this.execTimeout = execTimeout;
        this.clock = clock;
    }

    /**
     * Never take a second node down: every other agent of the cluster is Ready. The node's own agent
     * must still be the pod the plan will delete; one replaced since would keep the old key.
     */
    Step.Condition othersReady(String cluster, String node, RotationSnapshot.Agent planned) {
        return clusters -> {
            ClusterGateway gw = clusters.apply(cluster);
            Map<String, Pod> agents = NodeKeys.agentsByNode(gw, namespace);
            Pod own = agents.get(node);
            if (own == null
                    || !planned.pod().equals(own.getMetadata().getName())
                    || !Objects.equals(planned.uid(), own.getMetadata().getUid())) {
                return new Check.Failed("the agent pod on " + node + " is no longer " + planned.pod() + " ("
                        + (own == null
                                ? "none runs"
                                : "now " + own.getMetadata().getName())
                        + "); the plan was made before it changed");
            }
            List<String> notReady = new ArrayList<>();
            for (GenericKubernetesResource cn : CiliumNodes.all(gw)) {
                String other = cn.getMetadata().getName();
                if (!other.equals(node) && (agents.get(other) == null || !NodeKeys.ready(agents.get(other)))) {
                    notReady.add(other);
                }
            }
            return notReady.isEmpty()
                    ? new Check.Met("every other agent is Ready")
                    : new Check.Waiting("the agent on " + String.join(", ", notReady) + " is not ready; restarting "
                            + node + " now would take a second node down");
        };
    }

    /**
     * The node's agent is back (a new pod when {@code oldPodUid} is set) and Ready, and its CiliumNode
     * publishes a valid key that is none of {@code notNew} and that no other node of {@code mesh}
     * (this cluster first, then the connected ones) publishes.
     */
    Step.Condition newUniqueKey(
            String cluster, String node, String oldKey, Set<String> notNew, String oldPodUid, List<String> mesh) {
        return clusters -> {
            ClusterGateway gw = clusters.apply(cluster);
            Pod agent = NodeKeys.agentsByNode(gw, namespace).get(node);
            String key = CiliumNodes.publishedKey(gw, node).orElse(null);
            if (agent == null) {
                return new Check.Waiting("no agent pod on the node (the DaemonSet has not recreated it)");
            }
            if (oldPodUid != null && oldPodUid.equals(agent.getMetadata().getUid())) {
                return new Check.Waiting("the old agent pod is still there");
            }
            if (!NodeKeys.ready(agent)) {
                return new Check.Waiting("agent pod " + agent.getMetadata().getName() + " is not Ready");
            }
            if (key == null || notNew.contains(key)) {
                return new Check.Waiting("the CiliumNode still publishes the old key "
                        + (key == null ? "(none)" : NodeKeys.fingerprint(key)));
            }
            String problem = NodeKeys.problemWith(key);
            if (problem != null) {
                return new Check.Failed(
                        "node " + node + " published an unusable WireGuard key: " + problem,
                        ProblemType.ROTATION_STOPPED);
            }
            var answers = fanOut.ask(mesh, c -> CiliumNodes.publishedKeys(clusters.apply(c)));
            Map<String, Map<String, String>> keys = new LinkedHashMap<>();
            for (String c : mesh) {
                var answer = answers.get(c);
                if (!answer.ok()) {
                    return new Check.Waiting("cannot check that the new key of " + node + " is unique: cluster " + c
                            + " did not answer (" + answer.error() + ")");
                }
                keys.put(c, answer.value());
            }
            String other = NodeKeys.usedElsewhere(cluster, node, key, keys);
            if (other != null) {
                return new Check.Failed(
                        "node " + node + " came back with WireGuard key " + NodeKeys.fingerprint(key) + ", which node "
                                + other + " already uses; refused (the agents would drop one of them). "
                                + "Check for a cloned node image or a copied " + CiliumNames.WG_KEY_FILE,
                        ProblemType.DUPLICATE_WIREGUARD_KEY);
            }
            return new Check.Met("key " + NodeKeys.fingerprint(oldKey) + " → " + NodeKeys.fingerprint(key));
        };
    }

    /** Every agent of {@code observers} (this cluster's except the node's own) lists the key the node publishes now. */
    Step.Condition peersList(String cluster, String node, Set<String> notNew, List<String> observers) {
        return clusters -> {
            String key = CiliumNodes.publishedKey(clusters.apply(cluster), node).orElse(null);
            if (key == null || notNew.contains(key)) {
                return new Check.Waiting("the CiliumNode of " + node + " does not publish its new key");
            }
            var answers = fanOut.ask(
                    observers, c -> missingPeers(clusters.apply(c), c, c.equals(cluster) ? node : null, key));
            List<String> missing = new ArrayList<>();
            int agents = 0;
            for (String c : observers) {
                var answer = answers.get(c);
                if (!answer.ok()) {
                    missing.add(c + " (" + answer.error() + ")");
                } else {
                    missing.addAll(answer.value().missing());
                    agents += answer.value().agents();
                }
            }
            return missing.isEmpty()
                    ? new Check.Met(agents + " peer agent(s) list " + NodeKeys.fingerprint(key))
                    : new Check.Waiting("the new key " + NodeKeys.fingerprint(key) + " is not yet listed by "
                            + String.join(", ", missing));
        };
    }

    /** Records in the cluster's rotation state that {@code node} is being rotated and the key it had. */
    Step.Change recordOldKey(String operationId, List<String> nodes, String node, String oldKey) {
        return gw -> RotationState.changed(
                gw, namespace, s -> RotationState.begin(s, operationId, nodes, node, oldKey, clock.instant()));
    }

    /** Records the node's new key (its fingerprint, since now) and the node as done. */
    Step.Change recordNewKey(String node) {
        return gw -> {
            String key = CiliumNodes.publishedKey(gw, node).orElse(null);
            if (key == null || NodeKeys.problemWith(key) != null) {
                throw new ProblemException(
                        ProblemType.ROTATION_STOPPED, "node " + node + " no longer publishes a valid WireGuard key");
            }
            String fingerprint = NodeKeys.fingerprint(key);
            return RotationState.changed(
                    gw, namespace, s -> RotationState.finishNode(s, node, fingerprint, clock.instant()));
        };
    }

    private record PeerCheck(int agents, List<String> missing) {}

    private PeerCheck missingPeers(ClusterGateway gw, String cluster, String exceptNode, String key) {
        List<String> missing = new ArrayList<>();
        int agents = 0;
        for (Pod agent : gw.pods(namespace, NodeKeys.AGENT_LABELS)) {
            String agentNode = agent.getSpec() == null ? null : agent.getSpec().getNodeName();
            if (Objects.equals(agentNode, exceptNode)) {
                continue;
            }
            agents++;
            String where = cluster + "/" + agentNode;
            try {
                String json = gw.exec(
                        namespace,
                        agent.getMetadata().getName(),
                        CiliumNames.AGENT_CONTAINER,
                        execTimeout,
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
}
