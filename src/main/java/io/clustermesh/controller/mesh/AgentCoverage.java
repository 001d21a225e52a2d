package io.clustermesh.controller.mesh;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes should run a Cilium agent and which of them have a ready one (issue 15 item 6): the
 * agent DaemonSet's node selector, required node affinity and tolerations against each node's
 * labels and taints, as the DaemonSet controller schedules. A node that should have an agent but
 * has no ready one is named, so "all 2 agents ready" never hides a third node without one.
 *
 * @param expectedNodes        nodes the DaemonSet targets, sorted
 * @param nodesWithoutAgent    of those, the ones with no ready agent pod, sorted
 * @param known                false when the DaemonSet could not be read (then only pods count)
 */
record AgentCoverage(List<String> expectedNodes, List<String> nodesWithoutAgent, boolean known) {

    /**
     * Taints the DaemonSet controller tolerates on every DaemonSet pod by itself (the Kubernetes
     * docs, "DaemonSet: Taints and tolerations"); the network one only for host-network pods,
     * which the Cilium agent is.
     */
    private static final Set<String> DAEMONSET_TOLERATED = Set.of(
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
            "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/memory-pressure",
            "node.kubernetes.io/pid-pressure",
            "node.kubernetes.io/unschedulable",
            "node.kubernetes.io/network-unavailable");

    static AgentCoverage of(Optional<DaemonSet> daemonSet, List<Node> nodes, List<Pod> agents) {
        if (daemonSet.isEmpty()) {
            return new AgentCoverage(List.of(), List.of(), false);
        }
        PodSpec template = daemonSet.get().getSpec().getTemplate().getSpec();
        Set<String> withReadyAgent = new TreeSet<>();
        agents.stream()
                .filter(AgentCoverage::isReady)
                .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
                .forEach(p -> withReadyAgent.add(p.getSpec().getNodeName()));
        List<String> expected = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        nodes.stream()
                .filter(n -> shouldRunOn(template, n))
                .map(n -> n.getMetadata().getName())
                .sorted()
                .forEach(name -> {
                    expected.add(name);
                    if (!withReadyAgent.contains(name)) {
                        missing.add(name);
                    }
                });
        return new AgentCoverage(expected, missing, true);
    }

    static boolean isReady(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null
                || pod.getStatus() == null
                || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean shouldRunOn(PodSpec template, Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
        Map<String, String> selector = template.getNodeSelector() == null ? Map.of() : template.getNodeSelector();
        if (!selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        if (!affinityAllows(template, labels)) {
            return false;
        }
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of()
                : node.getSpec().getTaints();
        List<Toleration> tolerations = template.getTolerations() == null ? List.of() : template.getTolerations();
        return taints.stream()
                .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                .filter(t -> !DAEMONSET_TOLERATED.contains(t.getKey()))
                .allMatch(t -> tolerations.stream().anyMatch(tol -> tolerates(tol, t)));
    }

    /** Required node affinity: the terms are ORed, the expressions of a term ANDed. */
    private static boolean affinityAllows(PodSpec template, Map<String, String> labels) {
        var affinity = template.getAffinity();
        if (affinity == null
                || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return true;
        }
        List<NodeSelectorTerm> terms = affinity.getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
        if (terms == null || terms.isEmpty()) {
            return true;
        }
        return terms.stream()
                .anyMatch(term -> term.getMatchExpressions() == null
                        || term.getMatchExpressions().stream().allMatch(r -> matches(r, labels)));
    }

    private static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> compare(value, values, r.getOperator());
            default -> false;
        };
    }

    private static boolean compare(String value, List<String> values, String operator) {
        try {
            long v = Long.parseLong(value);
            long bound = Long.parseLong(values.get(0));
            return operator.equals("Gt") ? v > bound : v < bound;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Kubernetes' toleration rule: an empty key with Exists tolerates everything; an empty effect matches every effect. */
    static boolean tolerates(Toleration tol, Taint taint) {
        if (tol.getEffect() != null
                && !tol.getEffect().isEmpty()
                && !tol.getEffect().equals(taint.getEffect())) {
            return false;
        }
        String operator = tol.getOperator() == null || tol.getOperator().isEmpty() ? "Equal" : tol.getOperator();
        if (tol.getKey() == null || tol.getKey().isEmpty()) {
            return "Exists".equals(operator);
        }
        if (!tol.getKey().equals(taint.getKey())) {
            return false;
        }
        return "Exists".equals(operator)
                || java.util.Objects.equals(nullToEmpty(tol.getValue()), nullToEmpty(taint.getValue()));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
