package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.health.HealthService;
import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Link status on a default Cilium install (issue 19 item 5): {@code prometheus.enabled=false}, so
 * no agent serves metrics, and KVStoreMesh between the agents and the remotes. The verdicts come
 * from {@code cilium-dbg status -o json} in the agents and from KVStoreMesh's own status, and a
 * node that should run an agent but has none counts against readiness (issue 15 item 6).
 */
@QuarkusTest
@TestProfile(LinkStatusWithoutMetricsTest.Profile.class)
@QuarkusTestResource(value = SimulatedClustersResource.WithoutAgentMetrics.class, restrictToAnnotatedClass = true)
class LinkStatusWithoutMetricsTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    /** The intervals scaled down 30x from the defaults (refresh 15 s, exec readings 5 min) so a steady window fits in a test. */
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);

    private static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofMinutes(5);
    /** Time runs 30x faster here: intervals are divided, the per-minute request budget multiplied by it. */
    private static final long SCALE = DEFAULT_STATUS_INTERVAL.dividedBy(STATUS_INTERVAL);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mesh.health.refresh-interval",
                    "500ms",
                    "mesh.health.agent-scrape-interval",
                    "4s",
                    "mesh.health.agent-status-interval",
                    STATUS_INTERVAL.toSeconds() + "s",
                    "mesh.health.agent-request-budget-per-minute",
                    Double.toString(1.8 * SCALE),
                    "mesh.state-dir",
                    java.nio.file.Path.of(
                                    System.getProperty("java.io.tmpdir"),
                                    "without-metrics-state-"
                                            + ProcessHandle.current().pid())
                            .toString());
        }
    }

    @Inject
    HealthService health;

    private static JsonPath link() {
        return viewer().get("/api/v1/links/homelab/cloud")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static Map<String, Object> direction(JsonPath link, String from) {
        return link.getMap("directions.find { it.from == '" + from + "' }");
    }

    private static void connectedAndHealthy() {
        MeshStates.healed();
        MeshStates.homelabAndCloudConnected();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> "healthy".equals(link().getString("status")));
    }

    @Test
    void aDefaultInstallWithoutAgentMetricsReadsHealthyFromTheAgentsStatus() {
        MeshStates.healed();
        try (var homelab = SimulatedClustersResource.client("homelab")) {
            assertThat(homelab.configMaps()
                            .inNamespace(NS)
                            .withName(CiliumNames.CONFIG_MAP)
                            .get()
                            .getData())
                    .doesNotContainKey(CiliumNames.KEY_PROMETHEUS_SERVE_ADDR);
        }
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> "healthy".equals(link().getString("status")));
        JsonPath link = link();
        for (String from : List.of("homelab", "cloud")) {
            Map<String, Object> d = direction(link, from);
            assertThat(d.get("status")).isEqualTo("ready");
            assertThat(d.get("source"))
                    .as("agents read through cilium-dbg status, not metrics")
                    .isEqualTo("agent-status");
            assertThat((String) d.get("reason")).contains("kvstoremesh connected and synced");
            assertThat(d.get("agentsReady")).isEqualTo(d.get("agentsTotal"));
        }
        assertThat(direction(link, "cloud").get("agentsTotal")).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> health.refresh().links().stream()
                        .allMatch(l -> l.status() == io.clustermesh.controller.health.HealthStatus.HEALTHY));
    }

    @Test
    void aDeadKvstoreMeshLinkReadsNotReadyWhileTheAgentsStillReadTheirStaleCopyAsReady() {
        connectedAndHealthy();
        // The homelab's router loses its port-forward: cloud's kvstoremesh can no longer reach homelab,
        // while cloud's agents keep reading homelab from the local etcd copy.
        SimulatedClustersResource.cluster("homelab").inject(SimulatedFault.PORT_FORWARD_REMOVED);
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> "not-ready".equals(direction(link(), "cloud").get("status")));
            Map<String, Object> cloud = direction(link(), "cloud");
            assertThat(cloud.get("source")).isEqualTo("kvstoremesh-status");
            assertThat((String) cloud.get("reason"))
                    .startsWith("kvstoremesh: ")
                    .contains("timeout dialling homelab.mesh.cilium.io:32379");
            // Breaking the rule: the agents alone would call this direction ready.
            assertThat(cloud.get("agentsReady"))
                    .isEqualTo(cloud.get("agentsTotal"))
                    .isEqualTo(3);
            assertThat(direction(link(), "homelab").get("status")).isEqualTo("ready");
            assertThat(link().getString("status")).isEqualTo("degraded");
        } finally {
            SimulatedClustersResource.cluster("homelab").heal();
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> "healthy".equals(link().getString("status")));
    }

    @Test
    void aNodeThatShouldRunAnAgentButHasNoneCountsAgainstReadiness() {
        connectedAndHealthy();
        try (var homelab = SimulatedClustersResource.client("homelab")) {
            homelab.nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName("homelab-node-3")
                            .addToLabels("kubernetes.io/os", "linux")
                            .endMetadata()
                            .build())
                    .create();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(300))
                        .until(() ->
                                "not-ready".equals(direction(link(), "homelab").get("status")));
                Map<String, Object> d = direction(link(), "homelab");
                assertThat(d.get("nodesWithoutAgent")).isEqualTo(List.of("homelab-node-3"));
                assertThat(d.get("agentsTotal")).isEqualTo(3);
                assertThat(d.get("agentsReady")).isEqualTo(2);
                assertThat((String) d.get("reason"))
                        .isEqualTo("node homelab-node-3 has no ready Cilium agent (2 of 3 agents ready)");
                assertThat(link().getString("status")).isEqualTo("degraded");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> health.refresh().links().stream()
                                .anyMatch(l -> l.status() != io.clustermesh.controller.health.HealthStatus.HEALTHY
                                        && l.reason().contains("homelab-node-3")));

                // A taint the cilium DaemonSet does not tolerate: no agent belongs there, so none is missing.
                homelab.nodes().withName("homelab-node-3").edit(n -> {
                    n.setSpec(new io.fabric8.kubernetes.api.model.NodeSpecBuilder()
                            .withTaints(new TaintBuilder()
                                    .withKey("dedicated")
                                    .withValue("gpu")
                                    .withEffect("NoSchedule")
                                    .build())
                            .build());
                    return n;
                });
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(300))
                        .until(() -> "healthy".equals(link().getString("status")));
                assertThat(direction(link(), "homelab").get("agentsTotal")).isEqualTo(2);
            } finally {
                homelab.nodes().withName("homelab-node-3").delete();
            }
        }
    }

    /**
     * Bench P4's figure for a release without agent metrics: Kubernetes requests per cluster per
     * minute while nothing changes. Measured with time scaled 30x and stated at the defaults: every
     * request here belongs to a reading cycle (agent status execs, kvstoremesh metrics, one
     * cilium-health exec); the watches cost nothing while quiet.
     */
    @Test
    void theSteadyCostWithoutAgentMetricsStaysWithinBenchP4() throws Exception {
        connectedAndHealthy();
        Thread.sleep(STATUS_INTERVAL.toMillis() + 2000);
        var clusters =
                List.of(SimulatedClustersResource.cluster("homelab"), SimulatedClustersResource.cluster("cloud"));
        long requests = clusters.stream()
                .mapToLong(io.clustermesh.controller.sim.SimulatedCluster::requestCount)
                .sum();
        long execs = clusters.stream()
                .mapToLong(io.clustermesh.controller.sim.SimulatedCluster::execCount)
                .sum();
        Duration window = STATUS_INTERVAL.multipliedBy(6);
        Thread.sleep(window.toMillis());
        long windowRequests = clusters.stream()
                        .mapToLong(io.clustermesh.controller.sim.SimulatedCluster::requestCount)
                        .sum()
                - requests;
        long windowExecs = clusters.stream()
                        .mapToLong(io.clustermesh.controller.sim.SimulatedCluster::execCount)
                        .sum()
                - execs;
        double perClusterPerMinuteScaled = windowRequests / 2.0 / (window.toSeconds() / 60.0);
        double perClusterPerMinuteAtDefault = perClusterPerMinuteScaled / SCALE;
        String figure = String.format(
                java.util.Locale.ROOT,
                "P4 without agent metrics: %d requests (%d execs) in %d s for 2 clusters"
                        + " (homelab 2 nodes, cloud 3), time scaled %dx (agent-status-interval %s, budget %.0f/min)"
                        + " = %.2f requests per cluster per minute at the defaults (%s, 1.8/min)",
                windowRequests,
                windowExecs,
                window.toSeconds(),
                SCALE,
                STATUS_INTERVAL,
                1.8 * SCALE,
                perClusterPerMinuteAtDefault,
                DEFAULT_STATUS_INTERVAL);
        System.out.println(figure);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "p4-without-agent-metrics.txt"), figure + "\n");
        assertThat(windowExecs)
                .as("the agents are read through exec, not metrics")
                .isPositive();
        assertThat(perClusterPerMinuteAtDefault).isLessThanOrEqualTo(2.0);
    }
}
