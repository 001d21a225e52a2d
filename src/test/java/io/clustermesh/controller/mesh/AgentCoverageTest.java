package io.clustermesh.controller.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.support.AgentPods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which nodes should run a Cilium agent, the DaemonSet controller's rules as a table. */
class AgentCoverageTest {

    private static DaemonSet daemonSet(Map<String, String> nodeSelector, List<Toleration> tolerations) {
        return new DaemonSetBuilder()
                .withNewMetadata()
                .withName("cilium")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .withNodeSelector(nodeSelector)
                .withTolerations(tolerations)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Node node(String name, Map<String, String> labels, String taintKey, String effect) {
        var b = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata();
        if (taintKey != null) {
            b.withNewSpec()
                    .withTaints(new TaintBuilder()
                            .withKey(taintKey)
                            .withValue("x")
                            .withEffect(effect)
                            .build())
                    .endSpec();
        }
        return b.build();
    }

    private static Pod agent(String node, boolean ready) {
        return AgentPods.agent(node, ready);
    }

    private static final Map<String, String> LINUX = Map.of("kubernetes.io/os", "linux");
    private static final Toleration ALL =
            new TolerationBuilder().withOperator("Exists").build();
    private static final Toleration GPU = new TolerationBuilder()
            .withKey("dedicated")
            .withOperator("Equal")
            .withValue("x")
            .withEffect("NoSchedule")
            .build();

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, daemonset selector, tolerations, node labels, taint key, taint effect, should run
                Arguments.of("plain node", LINUX, List.of(), LINUX, null, null, true),
                Arguments.of(
                        "selector does not match (windows)",
                        LINUX,
                        List.of(),
                        Map.of("kubernetes.io/os", "windows"),
                        null,
                        null,
                        false),
                Arguments.of("untolerated NoSchedule taint", LINUX, List.of(), LINUX, "dedicated", "NoSchedule", false),
                Arguments.of("untolerated NoExecute taint", LINUX, List.of(), LINUX, "dedicated", "NoExecute", false),
                Arguments.of(
                        "PreferNoSchedule never keeps a pod away",
                        LINUX,
                        List.of(),
                        LINUX,
                        "dedicated",
                        "PreferNoSchedule",
                        true),
                Arguments.of(
                        "the chart's tolerate-everything", LINUX, List.of(ALL), LINUX, "dedicated", "NoSchedule", true),
                Arguments.of(
                        "tolerated by key, value and effect",
                        LINUX,
                        List.of(GPU),
                        LINUX,
                        "dedicated",
                        "NoSchedule",
                        true),
                Arguments.of(
                        "toleration for another effect", LINUX, List.of(GPU), LINUX, "dedicated", "NoExecute", false),
                Arguments.of(
                        "unschedulable: DaemonSets tolerate it themselves",
                        LINUX,
                        List.of(),
                        LINUX,
                        "node.kubernetes.io/unschedulable",
                        "NoSchedule",
                        true),
                Arguments.of(
                        "not-ready: DaemonSets tolerate it themselves",
                        LINUX,
                        List.of(),
                        LINUX,
                        "node.kubernetes.io/not-ready",
                        "NoExecute",
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void daemonSetSchedulingRules(
            String name,
            Map<String, String> selector,
            List<Toleration> tolerations,
            Map<String, String> labels,
            String taintKey,
            String effect,
            boolean shouldRun) {
        var coverage = AgentCoverage.of(
                Optional.of(daemonSet(selector, tolerations)),
                List.of(node("n1", labels, taintKey, effect)),
                List.of());
        assertThat(coverage.expectedNodes()).isEqualTo(shouldRun ? List.of("n1") : List.of());
        assertThat(coverage.nodesWithoutAgent()).isEqualTo(shouldRun ? List.of("n1") : List.of());
    }

    @Test
    void aNodeWithoutAReadyAgentIsNamedAndANodeWithOneIsNot() {
        var coverage = AgentCoverage.of(
                Optional.of(daemonSet(LINUX, List.of(ALL))),
                List.of(node("a", LINUX, null, null), node("b", LINUX, null, null), node("c", LINUX, null, null)),
                List.of(agent("a", true), agent("b", false)));
        assertThat(coverage.expectedNodes()).containsExactly("a", "b", "c");
        assertThat(coverage.nodesWithoutAgent()).containsExactly("b", "c");
        assertThat(coverage.known()).isTrue();
    }

    @Test
    void withoutTheDaemonSetNothingIsExpected() {
        var coverage = AgentCoverage.of(Optional.empty(), List.of(node("a", LINUX, null, null)), List.of());
        assertThat(coverage.known()).isFalse();
        assertThat(coverage.nodesWithoutAgent()).isEmpty();
    }
}
