package io.clustermesh.controller.reachability;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reachability matrix over the simulated homelab (behind a simulated NAT with a port-forward)
 * and cloud: what the probes see, and how the simulated faults change it.
 */
@QuarkusTest
@QuarkusTestResource(
        value = SimulatedClustersResource.class,
        initArgs = @ResourceArg(name = "clusters", value = "2"),
        restrictToAnnotatedClass = true)
class ReachabilityApiTest {

    @AfterEach
    void heal() {
        SimulatedClustersResource.cluster("homelab").heal();
        SimulatedClustersResource.cluster("cloud").heal();
    }

    @Test
    void beforeEnableEveryPairSaysThereIsNothingToDialAndWhatToDo() {
        MeshStates.disabled("homelab");
        Map<String, Object> cloudToHomelab = pair(probeAndRead(), "cloud", "homelab", "simulated");
        assertThat(cloudToHomelab)
                .containsEntry("result", "no-endpoint")
                .containsEntry("mode", "port-forward")
                .containsEntry("endpoint", "198.51.100.200:32379")
                .containsEntry("simulated", true);
        assertThat((String) cloudToHomelab.get("hint")).contains("PUT /api/v1/clusters/homelab/clustermesh");
    }

    @Test
    void afterEnableBothDirectionsAreReachableWithModePathAndLatency() {
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));

        JsonPath matrix = probeAndRead();
        Map<String, Object> cloudToHomelab = pair(matrix, "cloud", "homelab", "simulated");
        assertThat(cloudToHomelab)
                .containsEntry("result", "ok")
                .containsEntry("mode", "port-forward")
                .containsEntry("path", "port-forward")
                .containsEntry("endpoint", "198.51.100.200:32379");
        assertThat(((Number) cloudToHomelab.get("latencyMs")).doubleValue()).isPositive();
        Map<String, Object> homelabToCloud = pair(matrix, "homelab", "cloud", "simulated");
        assertThat(homelabToCloud)
                .containsEntry("result", "ok")
                .containsEntry("mode", "direct")
                .containsEntry("path", "direct")
                .containsEntry("endpoint", "203.0.113.10:2379");
        assertThat(matrix.getBoolean("simulated")).isTrue();
    }

    @Test
    void removingThePortForwardTurnsCloudToHomelabIntoAForwardMissingFailure() {
        MeshStates.enabled("homelab", "{}");
        MeshStates.enabled("cloud", MeshStates.LOAD_BALANCER);
        SimulatedClustersResource.cluster("homelab").inject(SimulatedFault.PORT_FORWARD_REMOVED);

        JsonPath matrix = probeAndRead();
        Map<String, Object> cloudToHomelab = pair(matrix, "cloud", "homelab", "simulated");
        assertThat(cloudToHomelab).containsEntry("result", "refused");
        assertThat((String) cloudToHomelab.get("reason")).startsWith("forward missing on the router");
        assertThat((String) cloudToHomelab.get("hint")).contains("port-forward");
        assertThat(pair(matrix, "homelab", "cloud", "simulated")).containsEntry("result", "ok");
    }

    @Test
    void aBlackHoledClusterTimesOutAtItsLastKnownEndpoint() {
        MeshStates.enabled("homelab", "{}");
        MeshStates.enabled("cloud", MeshStates.LOAD_BALANCER);
        // The service learns cloud's endpoint while cloud answers (a probe reads it); without that there is
        // nothing to dial, whatever an earlier test left behind.
        assertThat(pair(probeAndRead(), "homelab", "cloud", "simulated"))
                .containsEntry("endpoint", "203.0.113.10:2379");
        SimulatedClustersResource.cluster("cloud").inject(SimulatedFault.BLACKHOLE);

        Map<String, Object> homelabToCloud = pair(probeAndRead(), "homelab", "cloud", "simulated");
        assertThat(homelabToCloud).containsEntry("result", "timeout").containsEntry("endpoint", "203.0.113.10:2379");
        assertThat((String) homelabToCloud.get("reason")).startsWith("firewall on the port");
    }

    @Test
    void badInputIsRefusedWithTheFieldAndViewersMayOnlyRead() {
        operator()
                .body("{\"endpoints\":{\"homelab\":\"https://home.example.net\"}}")
                .post("/api/v1/reachability/probes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("endpoints.homelab"));
        operator()
                .body("{\"clusters\":[\"nowhere\"]}")
                .post("/api/v1/reachability/probes")
                .then()
                .statusCode(404);
        viewer().body("{}").post("/api/v1/reachability/probes").then().statusCode(403);
        viewer().get("/api/v1/reachability").then().statusCode(200);
    }

    @Test
    void clustersShowTheModeEndpointAndNoFindingsForAPublicForward() {
        MeshStates.enabled("homelab", "{}");
        MeshStates.enabled("cloud", MeshStates.LOAD_BALANCER);
        JsonPath clusters = viewer().get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(clusters.getString("clusters.find { it.name == 'homelab' }.reachability.mode"))
                .isEqualTo("port-forward");
        assertThat(clusters.getInt("clusters.find { it.name == 'homelab' }.reachability.nodePort"))
                .isEqualTo(32379);
        assertThat(clusters.getList("clusters.find { it.name == 'homelab' }.reachability.findings"))
                .isEmpty();
    }

    @Test
    void probePodsInEachClusterSeeTheRemovedForwardAndAreDeletedAfterwards() {
        MeshStates.enabled("homelab", "{}");
        MeshStates.enabled("cloud", MeshStates.LOAD_BALANCER);
        SimulatedClustersResource.cluster("homelab").inject(SimulatedFault.PORT_FORWARD_REMOVED);

        finished(operator()
                        .body("{\"remote\": true}")
                        .post("/api/v1/reachability/probes")
                        .then())
                .body("state", equalTo("succeeded"));
        JsonPath matrix = viewer().get("/api/v1/reachability")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        Map<String, Object> cloudToHomelab = pair(matrix, "cloud", "homelab", "remote");
        assertThat(cloudToHomelab).containsEntry("result", "refused").containsEntry("simulated", true);
        assertThat((String) cloudToHomelab.get("reason")).startsWith("forward missing on the router");
        assertThat(pair(matrix, "homelab", "cloud", "remote"))
                .containsEntry("result", "ok")
                .containsEntry("path", "direct");
        for (String cluster : List.of("homelab", "cloud")) {
            try (var client = SimulatedClustersResource.client(cluster)) {
                assertThat(client.pods()
                                .inNamespace("kube-system")
                                .withLabel(RemoteProbePods.COMPONENT_LABEL, RemoteProbePods.COMPONENT)
                                .list()
                                .getItems())
                        .as("probe pods left in " + cluster)
                        .isEmpty();
            }
        }
    }

    private static JsonPath probeAndRead() {
        finished(operator().body("{}").post("/api/v1/reachability/probes").then())
                .body("state", equalTo("succeeded"));
        return viewer().get("/api/v1/reachability")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static Map<String, Object> pair(JsonPath matrix, String from, String to, String vantage) {
        List<Map<String, Object>> pairs = matrix.getList("pairs");
        return pairs.stream()
                .filter(p -> from.equals(p.get("from")) && to.equals(p.get("to")) && vantage.equals(p.get("vantage")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + from + "->" + to + " (" + vantage + ") in " + pairs));
    }
}
