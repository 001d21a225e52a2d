package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.cilium.NodeHealthReport.NodeHealth;
import io.clustermesh.controller.cilium.NodeHealthReport.Reachability;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cilium-health status -o json} as Cilium prints it (contract fixtures, 1.16 and 1.18 shapes). */
class NodeHealthReportTest {

    @Test
    void oneRemoteNodeDownIsUnreachableOnBothPathsAndTheOthersAnswer() {
        NodeHealthReport report = NodeHealthReport.parse(Fixtures.text("cilium-health-status-one-remote-down.json"));
        assertThat(report.localName()).isEqualTo("homelab/homelab-node-1");
        assertThat(report.nodesOf("cloud"))
                .extracting(NodeHealth::node, NodeHealth::host, NodeHealth::endpoint)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "cloud-node-1", Reachability.REACHABLE, Reachability.REACHABLE),
                        org.assertj.core.groups.Tuple.tuple(
                                "cloud-node-2", Reachability.UNREACHABLE, Reachability.UNREACHABLE));
        assertThat(report.nodesOf("homelab")).hasSize(2);
    }

    @Test
    void theNatCaseOf116ShowsEveryHomelabNodeUnreachableFromTheCloud() {
        NodeHealthReport report =
                NodeHealthReport.parse(Fixtures.text("cilium-health-status-nat-control-plane-only-1.16.json"));
        assertThat(report.nodesOf("homelab")).allSatisfy(n -> {
            assertThat(n.host()).isEqualTo(Reachability.UNREACHABLE);
            assertThat(n.endpoint()).isEqualTo(Reachability.UNREACHABLE);
            assertThat(n.hostIp()).startsWith("192.168.1.");
        });
        assertThat(report.nodesOf("cloud"))
                .allSatisfy(n -> assertThat(n.endpoint()).isEqualTo(Reachability.REACHABLE));
    }

    /** Cilium's client rule (§2.4), one path with its icmp and http checks; "-" = check absent, "" = empty status. */
    @ParameterizedTest(name = "icmp={0} http={1} -> {2}")
    @CsvSource(
            nullValues = "-",
            value = {
                "ok, ok, REACHABLE",
                "timeout, ok, UNREACHABLE",
                "ok, timeout, UNREACHABLE",
                "-, ok, UNKNOWN",
                "-, -, UNKNOWN",
                "timeout, -, UNREACHABLE"
            })
    void pathVerdicts(String icmp, String http, Reachability expected) {
        String json =
                "{\"local\":{\"name\":\"a/n1\"},\"nodes\":[{\"name\":\"b/n2\",\"health-endpoint\":{\"primary-address\":{\"ip\":\"10.2.0.1\""
                        + check("icmp", icmp) + check("http", http) + "}}}]}";
        assertThat(NodeHealthReport.parse(json).nodes().get(0).endpoint()).isEqualTo(expected);
        assertThat(NodeHealthReport.parse(json).nodes().get(0).host())
                .as("a path not probed yet")
                .isEqualTo(Reachability.UNKNOWN);
    }

    private static String check(String name, String state) {
        if (state == null) {
            return "";
        }
        return ",\"" + name + "\":"
                + (state.equals("ok") ? "{\"latency\":1000}" : "{\"status\":\"Connection timed out\"}");
    }

    @Test
    void whatTheSimulatedAgentsRenderReadsBackTheSame() {
        var report = new NodeHealthReport(
                "homelab/homelab-node-1",
                Instant.parse("2026-01-01T00:00:00Z"),
                List.of(
                        new NodeHealth(
                                "cloud/cloud-node-1",
                                "172.31.2.11",
                                Reachability.REACHABLE,
                                "10.2.1.10",
                                Reachability.UNREACHABLE),
                        new NodeHealth(
                                "cloud/cloud-node-2",
                                "172.31.2.12",
                                Reachability.UNKNOWN,
                                "10.2.2.10",
                                Reachability.REACHABLE)));
        assertThat(NodeHealthReport.parse(report.render())).isEqualTo(report);
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> NodeHealthReport.parse("Error: cannot reach cilium-health socket"))
                .isInstanceOf(MalformedCiliumOutputException.class);
        assertThatThrownBy(() -> NodeHealthReport.parse("[]")).isInstanceOf(MalformedCiliumOutputException.class);
    }
}
