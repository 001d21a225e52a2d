package io.clustermesh.controller.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.config.RotationConfig;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.support.AgentPods;
import io.clustermesh.controller.support.ConfigProxy;
import io.clustermesh.controller.wireguard.RotationSnapshot.Agent;
import io.clustermesh.controller.wireguard.RotationSnapshot.Node;
import io.clustermesh.controller.wireguard.WireGuardRotationService.RotationRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The WireGuard rotation planner without any cluster: nodes, keys, agents and rotation state in,
 * steps out (contract §10), and the refusals. The second half reads the waits' conditions
 * against a cluster made of a few objects, to pin what each wait accepts and refuses.
 */
class WireGuardRotationPlannerTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String A = key(1);
    private static final String B = key(2);
    private static final String C = key(3);
    private static final String B2 = key(4);
    private static final String H = key(9);

    private static final RotationConfig.WireGuard TIMING = ConfigProxy.of(
            RotationConfig.WireGuard.class,
            Map.of(
                    "nodeTimeout", Duration.ofSeconds(6),
                    "peerTimeout", Duration.ofSeconds(20),
                    "execTimeout", Duration.ofSeconds(5),
                    "pollInterval", Duration.ofMillis(200)));
    private static final FanOut FAN_OUT = new FanOut(ConfigProxy.of(
            MeshConfig.class,
            Map.of(
                    "client",
                    ConfigProxy.of(MeshConfig.Client.class, Map.of("perClusterDeadline", Duration.ofSeconds(2))))));
    private static final RotationConditions CONDITIONS =
            new RotationConditions(FAN_OUT, NS, TIMING.execTimeout(), Clock.fixed(T0, ZoneOffset.UTC));
    private static final WireGuardRotationPlanner PLANNER = new WireGuardRotationPlanner(NS, TIMING, CONDITIONS);

    /** The role of each step of one node's rotation, in the order contract §10 requires. */
    private static final List<String> FULL = List.of(
            "record old key", "others ready", "remove key file", "restart agent", "new key", "peers", "record new key");

    /**
     * A stopped rotation resumed at a node whose agent already came back with a new, unique key, or
     * has not come back yet: the node is only waited for.
     */
    private static final List<String> ALREADY_REGENERATED =
            List.of("record old key", "new key", "peers", "record new key");

    static Stream<Arguments> plans() {
        var twoDone = new RotationState.WireGuard(
                Map.of(), new RotationState.InProgress("op-1", List.of("n1", "n2", "n3"), List.of("n1"), "n2", B, T0));
        return Stream.of(
                Arguments.of(
                        "every node, in name order",
                        snapshot(RotationState.WireGuard.EMPTY),
                        null,
                        List.of(node("n1", FULL), node("n2", FULL), node("n3", FULL))),
                Arguments.of(
                        "the nodes asked for, in the order asked",
                        snapshot(RotationState.WireGuard.EMPTY),
                        new RotationRequest(List.of("n3", "n1"), 1),
                        List.of(node("n3", FULL), node("n1", FULL))),
                Arguments.of(
                        "a stopped rotation resumes at its node, which still has its old key",
                        snapshot(twoDone),
                        null,
                        List.of(node("n2", FULL), node("n3", FULL))),
                Arguments.of(
                        "a stopped rotation whose node already publishes a new unique key only waits for it",
                        snapshot(twoDone, B2),
                        null,
                        List.of(node("n2", ALREADY_REGENERATED), node("n3", FULL))),
                Arguments.of(
                        "a stopped rotation whose node's agent is not back yet waits for it",
                        new RotationSnapshot(
                                "cloud",
                                true,
                                List.of(
                                        nodes(A, B, C).get(0),
                                        new Node("n2", B, null),
                                        nodes(A, B, C).get(2)),
                                twoDone,
                                Map.of("homelab", Map.of("h1", H)),
                                List.of()),
                        null,
                        List.of(node("n2", ALREADY_REGENERATED), node("n3", FULL))),
                Arguments.of(
                        "a new key a connected cluster's node publishes too is regenerated again",
                        snapshot(twoDone, H),
                        null,
                        List.of(node("n2", FULL), node("n3", FULL))),
                Arguments.of(
                        "nodes asked for explicitly win over a stopped rotation",
                        snapshot(twoDone),
                        new RotationRequest(List.of("n1"), null),
                        List.of(node("n1", FULL))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void plansEachNodeAsTheContractOrdersIt(
            String name,
            RotationSnapshot snapshot,
            RotationRequest request,
            List<Map.Entry<String, List<String>>> want) {
        var rotation = PLANNER.plan(snapshot, request, "op-2");

        Map<String, List<String>> expected = new LinkedHashMap<>();
        want.forEach(e -> expected.put(e.getKey(), e.getValue()));
        assertThat(roles(rotation)).isEqualTo(expected);
        assertThat(rotation.nodes()).containsExactlyElementsOf(expected.keySet());
        assertRollingRules(rotation);
        assertThat(rotation.plan().clusters()).containsExactly("cloud");
    }

    @Test
    void stepsNameTheNodeTheExactCommandAndThePodThatIsDeleted() {
        var rotation =
                PLANNER.plan(snapshot(RotationState.WireGuard.EMPTY), new RotationRequest(List.of("n2"), 1), null);

        assertThat(rotation.plan().views())
                .extracting(Step.View::step)
                .containsExactly(
                        "cloud: record the old key of n2",
                        "cloud: await the other agents Ready before restarting n2",
                        "cloud: exec in cilium-agent on n2: rm -f /var/run/cilium/cilium_wg0.key",
                        "cloud: delete Pod kube-system/cilium-n2",
                        "cloud: await a new, unique WireGuard key from n2",
                        "cloud: await every peer lists the new key of n2",
                        "cloud: record the new key of n2");
        Step.Exec exec = (Step.Exec) rotation.plan().steps().get(2);
        assertThat(exec.podLabels()).isEqualTo(Map.of("k8s-app", "cilium"));
        assertThat(exec.container()).isEqualTo("cilium-agent");
        assertThat(exec.command()).containsExactly("rm", "-f", "/var/run/cilium/cilium_wg0.key");
        assertThat(rotation.plan().views())
                .extracting(Step.View::summary)
                .noneMatch(s -> s.contains(B))
                .as("a summary names a key by its fingerprint")
                .anyMatch(s -> s.contains(NodeKeys.fingerprint(B)));
        assertThat(rotation.plan().warnings()).isEmpty();
    }

    @Test
    void resumingSaysWhereItResumes() {
        var state = new RotationState.WireGuard(
                Map.of(), new RotationState.InProgress("op-1", List.of("n1", "n2", "n3"), List.of("n1"), "n2", B, T0));

        var rotation = PLANNER.plan(snapshot(state), null, "op-2");

        assertThat(rotation.plan().warnings())
                .singleElement()
                .asString()
                .contains("resuming the rotation started " + T0 + " at node n2")
                .contains("1 node(s) already done");
    }

    static Stream<Arguments> refusals() {
        var stopped = new RotationState.WireGuard(
                Map.of(), new RotationState.InProgress("op-1", List.of("n1", "n2"), List.of(), "n2", B, T0));
        var wireguardOff = new RotationSnapshot(
                "cloud", false, nodes(A, B, C), RotationState.WireGuard.EMPTY, Map.of(), List.of());
        var keyless = new RotationSnapshot(
                "cloud", true, nodes(A, null, C), RotationState.WireGuard.EMPTY, Map.of(), List.of());
        List<Node> agentless = new ArrayList<>(nodes(A, B, C));
        agentless.set(1, new Node("n2", B, null));
        var homelabSilent = new RotationSnapshot("cloud", true, nodes(A, B2, C), stopped, Map.of(), List.of("homelab"));
        return Stream.of(
                Arguments.of(
                        "two nodes at once",
                        snapshot(RotationState.WireGuard.EMPTY),
                        new RotationRequest(null, 2),
                        ProblemType.INVALID_INPUT,
                        "maxUnavailable"),
                Arguments.of(
                        "an empty node list",
                        snapshot(RotationState.WireGuard.EMPTY),
                        new RotationRequest(List.of(), 1),
                        ProblemType.INVALID_INPUT,
                        "nodes"),
                Arguments.of(
                        "a node listed twice",
                        snapshot(RotationState.WireGuard.EMPTY),
                        new RotationRequest(List.of("n1", "n1"), 1),
                        ProblemType.INVALID_INPUT,
                        "nodes"),
                Arguments.of(
                        "a node of another cluster",
                        snapshot(RotationState.WireGuard.EMPTY),
                        new RotationRequest(List.of("h1"), 1),
                        ProblemType.INVALID_INPUT,
                        "nodes"),
                Arguments.of("WireGuard off", wireguardOff, null, ProblemType.WIREGUARD_NOT_ENABLED, null),
                Arguments.of("a node without a key", keyless, null, ProblemType.ROTATION_STOPPED, null),
                Arguments.of(
                        "a node without an agent",
                        new RotationSnapshot(
                                "cloud", true, agentless, RotationState.WireGuard.EMPTY, Map.of(), List.of()),
                        null,
                        ProblemType.ROTATION_STOPPED,
                        null),
                Arguments.of(
                        "uniqueness unknown: a connected cluster did not answer",
                        homelabSilent,
                        null,
                        ProblemType.ROTATION_STOPPED,
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesBeforeAnyStep(
            String name, RotationSnapshot snapshot, RotationRequest request, ProblemType type, String field) {
        assertThatThrownBy(() -> PLANNER.plan(snapshot, request, "op-1"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(type);
                    assertThat(e.field()).isEqualTo(field);
                });
    }

    /** The rules checked above are not vacuous: plans that break them are caught. */
    @Test
    void aPlanThatBreaksTheRollingRulesIsCaught() {
        var rotation = PLANNER.plan(snapshot(RotationState.WireGuard.EMPTY), null, "op-1");
        assertRollingRules(rotation);

        assertThatThrownBy(
                        () -> assertRollingRules(without(rotation, "cloud: await every peer lists the new key of n1")))
                .as("the next node restarted before every peer listed the last key")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("n1");
        assertThatThrownBy(() -> assertRollingRules(
                        without(rotation, "cloud: await the other agents Ready before restarting n2")))
                .as("a node restarted without checking the others are up")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("n2");
        List<Step> interleaved = new ArrayList<>(rotation.plan().steps());
        interleaved.add(3, interleaved.remove(9)); // n2's exec before n1's pod is restarted: two nodes down at once
        assertThatThrownBy(() -> assertRollingRules(rebuilt(rotation, interleaved)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void othersReadyWaitsForAnUnreadyAgentAndStopsWhenThePlannedPodWasReplaced() {
        var planned = new Agent("cilium-n2", "uid-n2", true);
        Step.Condition condition = CONDITIONS.othersReady("cloud", "n2", planned);

        assertThat(condition.check(cluster(ciliumNodes(A, B, C), agents(true, true, true))))
                .isInstanceOf(Step.Check.Met.class);
        assertThat(condition.check(cluster(ciliumNodes(A, B, C), agents(false, true, true))))
                .isEqualTo(new Step.Check.Waiting(
                        "the agent on n1 is not ready; restarting n2 now would take a second node down"));
        List<Pod> replaced = agents(true, true, true);
        replaced.set(1, agent("n2", "cilium-n2-new", "uid-new", true));
        assertThat(condition.check(cluster(ciliumNodes(A, B, C), replaced)))
                .isInstanceOfSatisfying(
                        Step.Check.Failed.class, f -> assertThat(f.reason()).contains("no longer cilium-n2"));
    }

    @Test
    void newUniqueKeyWaitsForTheRestartedAgentAndRefusesAnUnusableOrDuplicateKey() {
        Step.Condition condition = CONDITIONS.newUniqueKey("cloud", "n2", B, Set.of(B), "uid-n2", List.of("cloud"));

        assertThat(condition.check(cluster(ciliumNodes(A, B, C), agents(true, true, true))))
                .as("the old pod is still there")
                .isInstanceOf(Step.Check.Waiting.class);
        List<Pod> restarted = agents(true, true, true);
        restarted.set(1, agent("n2", "cilium-n2-new", "uid-new", true));
        assertThat(condition.check(cluster(ciliumNodes(A, B, C), restarted)))
                .isEqualTo(new Step.Check.Waiting(
                        "the CiliumNode still publishes the old key " + NodeKeys.fingerprint(B)));
        assertThat(condition.check(cluster(ciliumNodes(A, B2, C), restarted)))
                .isEqualTo(new Step.Check.Met("key " + NodeKeys.fingerprint(B) + " → " + NodeKeys.fingerprint(B2)));
        assertThat(condition.check(cluster(ciliumNodes(A, C, C), restarted)))
                .isInstanceOfSatisfying(Step.Check.Failed.class, f -> {
                    assertThat(f.type()).isEqualTo(ProblemType.DUPLICATE_WIREGUARD_KEY);
                    assertThat(f.reason()).contains("which node cloud/n3 already uses");
                });
        String zeroes = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(condition.check(cluster(ciliumNodes(A, zeroes, C), restarted)))
                .isInstanceOfSatisfying(
                        Step.Check.Failed.class, f -> assertThat(f.type()).isEqualTo(ProblemType.ROTATION_STOPPED));
    }

    /**
     * The rules of contract §10 over a plan: each node's steps together (one node at a time) and in
     * the order of {@link #FULL} (or {@link #ALREADY_REGENERATED}): nothing is restarted before the
     * other agents are checked, and no next node before every peer lists the last node's new key.
     */
    static void assertRollingRules(WireGuardRotationPlanner.Rotation rotation) {
        List<String> seen = new ArrayList<>();
        String current = null;
        for (Step step : rotation.plan().steps()) {
            String node = rotation.nodeOfStep().get(step.stepName());
            if (!node.equals(current)) {
                if (seen.contains(node)) {
                    throw new AssertionError("the steps of " + node + " are not together: " + steps(rotation));
                }
                seen.add(node);
                current = node;
            }
        }
        roles(rotation).forEach((node, roles) -> {
            if (!roles.equals(FULL) && !roles.equals(ALREADY_REGENERATED)) {
                throw new AssertionError("the steps of " + node + " break contract §10: " + roles);
            }
        });
        assertThat(seen).containsExactlyElementsOf(rotation.nodes());
    }

    private static Map<String, List<String>> roles(WireGuardRotationPlanner.Rotation rotation) {
        Map<String, List<String>> roles = new LinkedHashMap<>();
        for (Step step : rotation.plan().steps()) {
            roles.computeIfAbsent(rotation.nodeOfStep().get(step.stepName()), n -> new ArrayList<>())
                    .add(role(step));
        }
        return roles;
    }

    private static String role(Step step) {
        String name = step.stepName();
        if (step instanceof Step.Update) {
            return name.contains("record the old key") ? "record old key" : "record new key";
        }
        if (step instanceof Step.Exec) {
            return "remove key file";
        }
        if (step instanceof Step.Delete) {
            return "restart agent";
        }
        if (name.contains("other agents Ready")) {
            return "others ready";
        }
        return name.contains("every peer") ? "peers" : "new key";
    }

    private static List<String> steps(WireGuardRotationPlanner.Rotation rotation) {
        return rotation.plan().steps().stream().map(Step::stepName).toList();
    }

    private static WireGuardRotationPlanner.Rotation without(WireGuardRotationPlanner.Rotation rotation, String step) {
        List<Step> steps = new ArrayList<>(rotation.plan().steps());
        assertThat(steps.removeIf(s -> s.stepName().equals(step))).as(step).isTrue();
        return rebuilt(rotation, steps);
    }

    private static WireGuardRotationPlanner.Rotation rebuilt(
            WireGuardRotationPlanner.Rotation rotation, List<Step> steps) {
        Plan plan = rotation.plan();
        return new WireGuardRotationPlanner.Rotation(
                new Plan(plan.kind(), plan.target(), steps, plan.warnings()), rotation.nodes(), rotation.nodeOfStep());
    }

    private static Map.Entry<String, List<String>> node(String name, List<String> roles) {
        return Map.entry(name, roles);
    }

    /** cloud with nodes n1..n3 (keys A, B or {@code n2Key}, C, all agents Ready), connected to homelab (h1: H). */
    private static RotationSnapshot snapshot(RotationState.WireGuard state, String... n2Key) {
        return new RotationSnapshot(
                "cloud",
                true,
                nodes(A, n2Key.length == 0 ? B : n2Key[0], C),
                state,
                Map.of("homelab", Map.of("h1", H)),
                List.of());
    }

    private static List<Node> nodes(String... keys) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            String name = "n" + (i + 1);
            nodes.add(new Node(name, keys[i], new Agent("cilium-" + name, "uid-" + name, true)));
        }
        return nodes;
    }

    private static String key(int fill) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) fill);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static List<GenericKubernetesResource> ciliumNodes(String... keys) {
        List<GenericKubernetesResource> nodes = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            nodes.add(new GenericKubernetesResourceBuilder()
                    .withApiVersion("cilium.io/v2")
                    .withKind("CiliumNode")
                    .withNewMetadata()
                    .withName("n" + (i + 1))
                    .addToAnnotations(CiliumNames.WG_PUBKEY_ANNOTATION, keys[i])
                    .endMetadata()
                    .build());
        }
        return nodes;
    }

    private static List<Pod> agents(boolean... ready) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < ready.length; i++) {
            pods.add(agent("n" + (i + 1), "cilium-n" + (i + 1), "uid-n" + (i + 1), ready[i]));
        }
        return pods;
    }

    private static Pod agent(String node, String name, String uid, boolean ready) {
        return AgentPods.agent(node, name, uid, ready);
    }

    /** A cluster holding only these CiliumNodes and agent pods; any other read fails the test. */
    private static Function<String, ClusterGateway> cluster(
            List<GenericKubernetesResource> ciliumNodes, List<Pod> pods) {
        ClusterGateway gateway = (ClusterGateway) Proxy.newProxyInstance(
                ClusterGateway.class.getClassLoader(), new Class<?>[] {ClusterGateway.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "customResources":
                            assertThat(args[0]).isEqualTo(CiliumNames.CILIUM_NODE);
                            return ciliumNodes;
                        case "customResource":
                            assertThat(args[0]).isEqualTo(CiliumNames.CILIUM_NODE);
                            return ciliumNodes.stream()
                                    .filter(cn -> cn.getMetadata().getName().equals(args[1]))
                                    .findFirst();
                        case "pods":
                            return pods;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        return name -> {
            assertThat(name).isEqualTo("cloud");
            return gateway;
        };
    }
}
