package io.clustermesh.controller.mesh;

import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.class, initArgs = @ResourceArg(name = "clusters", value = "5"))
class FiveClusterMeshTest {

    @Test
    void fullMeshOfFiveBecomesHealthyAndOnePairCanBeDisconnected() {
        List<String> names = List.of("homelab", "cloud", "sim-03", "sim-04", "sim-05");
        for (String name : names) {
            finished(operator().put("/api/v1/clusters/" + name + "/clustermesh").then()).body("state", equalTo("succeeded"));
        }
        String body = "{\"clusters\": [\"homelab\", \"cloud\", \"sim-03\", \"sim-04\", \"sim-05\"]}";
        finished(operator().body(body).post("/api/v1/mesh/connect").then()).body("state", equalTo("succeeded"));
        operator().queryParam("dryRun", "true").body(body).post("/api/v1/mesh/connect").then().statusCode(200).body("plan", empty());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> statuses = operator().get("/api/v1/links").then().extract().path("status");
            assertThat(statuses).hasSize(10).containsOnly("healthy");
        });

        finished(operator().delete("/api/v1/links/sim-03/sim-04").then()).body("state", equalTo("succeeded"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> pairs = operator().get("/api/v1/links").then().extract().path("collect { it.a + '-' + it.b }");
            assertThat(pairs).hasSize(9).doesNotContain("sim-03-sim-04");
        });
    }
}
