package io.clustermesh.controller.wireguard;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.config.RotationConfig;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.wireguard.WireGuardRotationService.RotationRequest;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rolling WireGuard key rotation of one cluster as a plan (contract §10), from a snapshot read
 * once under the cluster's lock. Per node, in name order (or the order asked for): record the old
 * key → await every other agent Ready → remove the key file in the node's agent → delete the agent
 * pod → await a new, valid key no other node uses → await every peer (this and every connected
 * cluster) lists it → record the new key. Nothing is read here: the awaits read when they run.
 */
final class WireGuardRotationPlanner {
    static final String KIND = "wireguard-rotation";

    private final String namespace;
    private final RotationConfig.WireGuard timing;
    private final RotationConditions conditions;

    WireGuardRotationPlanner(String namespace, RotationConfig.WireGuard timing, RotationConditions conditions) {
        this.namespace = namespace;
        this.timing = timing;
        this.conditions = conditions;
    }

    /** A rotation's plan, its nodes in order, and the node each step belongs to (a stop names its node). */
    record Rotation(Plan plan, List<String> nodes, Map<String, String> nodeOfStep) {}

    /** The request alone, before anything is read or locked. */
    static void validate(RotationRequest request) {
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
    }

    /** {@code operationId} is recorded in the cluster's rotation state (null in a dry run: nothing is recorded). */
    Rotation plan(RotationSnapshot snapshot, RotationRequest request, String operationId) {
        validate(request);
        if (!snapshot.wireguardEnabled()) {
            throw new ProblemException(
                    ProblemType.WIREGUARD_NOT_ENABLED,
                    "cluster " + snapshot.cluster() + " does not use WireGuard encryption ("
                            + CiliumNames.KEY_ENABLE_WIREGUARD + " is not \"true\"); there are no node keys to rotate");
        }
        List<String> all =
                snapshot.nodes().stream().map(RotationSnapshot.Node::name).toList();
        var inProgress = snapshot.state().inProgress();
        List<String> warnings = new ArrayList<>();
        List<String> nodes;
        if (inProgress != null && (request == null || request.nodes() == null)) {
            nodes = inProgress.remaining().stream().filter(all::contains).toList();
            warnings.add("resuming the rotation started " + inProgress.startedAt() + " at node "
                    + (nodes.isEmpty() ? "-" : nodes.get(0)) + "; "
                    + inProgress.done().size() + " node(s) already done");
        } else {
            nodes = requestedNodes(request, all);
        }
        List<Step> steps = new ArrayList<>();
        Map<String, String> nodeOfStep = new LinkedHashMap<>();
        for (String node : nodes) {
            for (Step step : nodeSteps(snapshot, nodes, node, operationId)) {
                steps.add(step);
                nodeOfStep.put(step.stepName(), node);
            }
        }
        return new Rotation(new Plan(KIND, snapshot.cluster(), steps, warnings), nodes, nodeOfStep);
    }

    private static List<String> requestedNodes(RotationRequest request, List<String> all) {
        if (request == null || request.nodes() == null) {
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

    private List<Step> nodeSteps(RotationSnapshot s, List<String> nodes, String name, String operationId) {
        String cluster = s.cluster();
        RotationSnapshot.Node node = s.nodes().stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow();
        String published = node.publishedKey();
        var p = s.state().inProgress();
        // A rotation stopped at this node after its agent restarted may find the new key already there (issue 15).
        String recordedOld = p != null && name.equals(p.current()) ? p.oldPublicKey() : null;
        boolean regenerated = recordedOld != null
                && published != null
                && !published.equals(recordedOld)
                && NodeKeys.problemWith(published) == null
                && unique(s, name, published);
        String oldKey = recordedOld != null ? recordedOld : published;
        if (oldKey == null) {
            throw new ProblemException(
                    ProblemType.ROTATION_STOPPED,
                    "node " + name + " publishes no WireGuard key on its CiliumNode; is its agent running?");
        }
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Update(
                cluster,
                "ConfigMap",
                namespace,
                RotationState.CONFIG_MAP,
                "record the old key of " + name,
                conditions.recordOldKey(operationId, nodes, name, oldKey),
                "record that " + name + " is being rotated from key " + NodeKeys.fingerprint(oldKey)
                        + ", so a re-run resumes here"));
        Set<String> notNew = new LinkedHashSet<>(List.of(oldKey));
        String oldPodUid = null;
        RotationSnapshot.Agent agent = node.agent();
        // Stopped here with the agent gone: most likely our own restart, still under way. Waiting for the agent
        // suffices; had the key file not been removed, the wait times out and the next re-run restarts it again.
        boolean restarting = recordedOld != null && agent == null;
        if (!regenerated && !restarting) {
            if (agent == null) {
                throw new ProblemException(
                        ProblemType.ROTATION_STOPPED,
                        "node " + name + " has no agent pod (" + CiliumNames.AGENT_SELECTOR_KEY + "="
                                + CiliumNames.AGENT_SELECTOR_VALUE + "); POST again once the DaemonSet runs it");
            }
            steps.add(await(
                    cluster,
                    "await the other agents Ready before restarting " + name,
                    conditions.othersReady(cluster, name, agent),
                    timing.nodeTimeout(),
                    "a node is restarted only while every other agent of its cluster is Ready (contract §10)",
                    "never take a second node down"));
            steps.add(new Step.Exec(
                    cluster,
                    namespace,
                    NodeKeys.AGENT_LABELS,
                    name,
                    CiliumNames.AGENT_CONTAINER,
                    AgentCommands.REMOVE_WIREGUARD_KEY,
                    timing.execTimeout(),
                    "delete the WireGuard private key file; the agent generates a new one at its next start"
                            + " (the key never leaves the node)"));
            steps.add(
                    new Step.Delete(cluster, Pod.class, "Pod", namespace, agent.pod(), "restart the agent on " + name));
            oldPodUid = agent.uid();
        }
        if (!regenerated && published != null) {
            notNew.add(published);
        }
        steps.add(await(
                cluster,
                "await a new, unique WireGuard key from " + name,
                conditions.newUniqueKey(cluster, name, oldKey, Set.copyOf(notNew), oldPodUid, s.observers()),
                timing.nodeTimeout(),
                "check the agent pod on " + name + " (its events and log)",
                "the agent Ready again and its CiliumNode publishing a valid key no other node uses"));
        steps.add(await(
                cluster,
                "await every peer lists the new key of " + name,
                conditions.peersList(cluster, name, Set.copyOf(notNew), s.observers()),
                timing.peerTimeout(),
                "this cluster's agents learn the key from the CiliumNode, those of connected clusters through" + " the "
                        + CiliumNames.APISERVER + ": check the links",
                "every agent of " + String.join(", ", s.observers()) + " lists the new key"));
        steps.add(new Step.Update(
                cluster,
                "ConfigMap",
                namespace,
                RotationState.CONFIG_MAP,
                "record the new key of " + name,
                conditions.recordNewKey(name),
                "record the new key's fingerprint and " + name + " as done"));
        return steps;
    }

    /** A wait that stops the rotation (at this node) when it times out; read every poll interval. */
    private Step.Await await(
            String cluster, String what, Step.Condition condition, Duration timeout, String hint, String summary) {
        return new Step.Await(
                cluster, what, condition, timeout, timing.pollInterval(), ProblemType.ROTATION_STOPPED, hint, summary);
    }

    /** No node of this or a (answering) connected cluster but {@code node} publishes {@code key}. */
    private static boolean unique(RotationSnapshot s, String node, String key) {
        if (!s.unanswered().isEmpty()) {
            throw new ProblemException(
                    ProblemType.ROTATION_STOPPED,
                    "cannot check that the new key of " + node + " is unique: cluster "
                            + String.join(", ", s.unanswered()) + " did not answer");
        }
        Map<String, Map<String, String>> keys = new LinkedHashMap<>();
        Map<String, String> own = new LinkedHashMap<>();
        s.nodes().stream().filter(n -> n.publishedKey() != null).forEach(n -> own.put(n.name(), n.publishedKey()));
        keys.put(s.cluster(), own);
        keys.putAll(s.connectedKeys());
        return NodeKeys.usedElsewhere(s.cluster(), node, key, keys) == null;
    }
}
