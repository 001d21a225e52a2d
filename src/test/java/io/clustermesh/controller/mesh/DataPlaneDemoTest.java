package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.health.HealthReport;
import io.clustermesh.controller.health.HealthService;
import io.clustermesh.controller.health.HealthStatus;
import io.clustermesh.controller.sim.SimulatedCluster;
import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
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
 * The demo's topology (issue 17): a homelab behind NAT reached through its router's port-forward,
 * and a cloud cluster whose nodes sit in a private VPC range. The control plane connects, pods do
 * not: the link is control-plane-only with a remediation; routing both node networks through
 * approved subnet routes makes it healthy within one refresh; blocked WireGuard, a withdrawn
 * route and overlapping pod CIDRs each show with their reason.
 */
@QuarkusTest
@TestProfile(DataPlaneDemoTest.Profile.class)
@QuarkusTestResource(value = SimulatedClustersResource.Unrouted.class, restrictToAnnotatedClass = true)
class DataPlaneDemoTest {

    /** Every refresh asks the agents: faults injected into the simulation are not visible to the watches. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mesh.health.refresh-interval",
                    "1h",
                    "mesh.health.agent-scrape-interval",
                    "0s",
                    "mesh.health.agent-status-interval",
                    "0s");
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

    private static Map<String, Object> dataPlane(JsonPath link, String from) {
        return link.getMap("directions.find { it.from == '" + from + "' }.dataPlane");
    }

    private HealthReport.LinkHealth refreshedLink() {
        return health.refresh().links().stream()
                .filter(l -> l.a().equals("cloud") || l.b().equals("cloud"))
                .findFirst()
                .orElseThrow();
    }

    /** Connected, and both directions' control plane ready (the agents have read the new Secret). */
    private static void connectedWithTheControlPlaneReady() {
        MeshStates.homelabAndCloudConnected();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> List.of("control-plane-only", "healthy").contains(link().getString("status")));
    }

    /** Connected with both node networks routed through approved subnet routes, no fault: healthy on both planes. */
    private void routedAndHealthy() {
        MeshStates.healed();
        connectedWithTheControlPlaneReady();
        SimulatedCluster.approveSubnetRoute("192.168.1.0/24");
        SimulatedCluster.approveSubnetRoute("172.31.2.0/24");
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> refreshedLink().status() == HealthStatus.HEALTHY);
    }

    @Test
    void aPortForwardedHomelabAndACloudClusterAreControlPlaneOnlyWithARemediation() {
        MeshStates.healed();
        SimulatedCluster.clearSubnetRoutes();
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> "control-plane-only".equals(link().getString("status")));
        JsonPath link = link();
        assertThat(link.getList("directions.status")).containsOnly("ready");
        Map<String, Object> fromHomelab = dataPlane(link, "homelab");
        assertThat(fromHomelab.get("state")).isEqualTo("control-plane-only");
        assertThat(fromHomelab.get("source")).isEqualTo("cilium-health");
        assertThat((String) fromHomelab.get("remediation"))
                .contains(
                        "cloud nodes 172.31.2.0/24 are not routed from homelab: advertise them from a Tailscale subnet router and approve"
                                + " the route, or run the nodes with tailnet addresses")
                .contains("homelab nodes 192.168.1.0/24 must be routed from cloud")
                .contains("UDP 51871 (WireGuard), UDP 8472 (VXLAN)")
                .contains("the router port-forward carries the control plane only");
        assertThat(link.getList("directions.find { it.from == 'cloud' }.dataPlane.reasons.code", String.class))
                .contains(
                        "ALL_REMOTE_UNREACHABLE",
                        "NODE_IP_PRIVATE_UNROUTED",
                        "PORT_FORWARD_CONTROL_PLANE_ONLY",
                        "WG_NO_HANDSHAKE");

        HealthReport.LinkHealth linkHealth = refreshedLink();
        assertThat(linkHealth.status()).isEqualTo(HealthStatus.CONTROL_PLANE_ONLY);
        assertThat(linkHealth.hint()).contains("advertise them from a Tailscale subnet router");
        assertThat(HealthStatus.CONTROL_PLANE_ONLY.exitCode())
                .as("check mode exit code")
                .isEqualTo(1);
        viewer().get("/api/v1/health").then().statusCode(503).body("status", equalTo("control-plane-only"));
        String metrics = viewer().get("/q/metrics").then().extract().asString();
        assertThat(metrics)
                .contains("clustermesh_link_up{from=\"homelab\",to=\"cloud\"} 1.0")
                .contains("clustermesh_link_dataplane_up{from=\"homelab\",to=\"cloud\"} 0.0");
    }

    @Test
    void routingBothNodeNetworksThroughApprovedSubnetRoutesMakesItHealthyWithinOneRefresh() {
        MeshStates.healed();
        SimulatedCluster.clearSubnetRoutes();
        connectedWithTheControlPlaneReady();
        SimulatedCluster.approveSubnetRoute("192.168.1.0/24");
        SimulatedCluster.approveSubnetRoute("172.31.2.0/24");
        assertThat(refreshedLink().status()).isEqualTo(HealthStatus.HEALTHY);
        viewer().get("/api/v1/health").then().statusCode(200);
        assertThat(dataPlane(link(), "cloud").get("state")).isEqualTo("ok");
    }

    @Test
    void blockedWireGuardDegradesTheLinkWithItsReasonAndHealthAnswers503() {
        routedAndHealthy();
        SimulatedClustersResource.cluster("cloud").inject(SimulatedFault.WIREGUARD_BLOCKED);
        try {
            HealthReport.LinkHealth linkHealth = refreshedLink();
            assertThat(linkHealth.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(linkHealth.reason()).contains("node IPs of cloud answer but pod paths fail");
            viewer().get("/api/v1/health").then().statusCode(503);
            Map<String, Object> dp = dataPlane(link(), "homelab");
            assertThat(dp.get("state")).isEqualTo("broken");
            assertThat((String) dp.get("remediation")).contains("UDP 51871 (WireGuard)");
            assertThat(link().getList("directions.find { it.from == 'homelab' }.dataPlane.reasons.code", String.class))
                    .containsExactly("HOST_OK_ENDPOINT_FAIL", "WG_NO_HANDSHAKE");
        } finally {
            SimulatedClustersResource.cluster("cloud").heal();
        }
        assertThat(refreshedLink().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void aWithdrawnRouteFallsBackToControlPlaneOnly() {
        routedAndHealthy();
        SimulatedClustersResource.cluster("homelab").inject(SimulatedFault.ROUTE_WITHDRAWN);
        try {
            assertThat(refreshedLink().status()).isEqualTo(HealthStatus.CONTROL_PLANE_ONLY);
            assertThat((String) dataPlane(link(), "cloud").get("remediation"))
                    .contains("homelab nodes 192.168.1.0/24 are not routed from cloud");
        } finally {
            SimulatedClustersResource.cluster("homelab").heal();
        }
        assertThat(refreshedLink().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void overlappingPodCidrsBreakTheDataPlaneWhateverTheRoutes() {
        routedAndHealthy();
        SimulatedClustersResource.cluster("cloud").inject(SimulatedFault.POD_CIDR_OVERLAP);
        try {
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> refreshedLink().status() == HealthStatus.DEGRADED);
            Map<String, Object> dp = dataPlane(link(), "homelab");
            assertThat(dp.get("state")).isEqualTo("broken");
            assertThat(link().getList("directions.find { it.from == 'homelab' }.dataPlane.reasons.code", String.class))
                    .isEqualTo(List.of("CFG_PODCIDR_OVERLAP"));
        } finally {
            SimulatedClustersResource.cluster("cloud").heal();
        }
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> refreshedLink().status() == HealthStatus.HEALTHY);
    }
}
