package io.clustermesh.controller.api;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.oneOf;

import io.clustermesh.controller.sim.SimulatedWriteFault;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ?wait=} on mutations: the answer is the finished operation (200), the failed one with its
 * failure's status, or 202 when it is still running; a bad value is refused before anything runs.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
class WaitParameterTest {

    @Test
    void badWaitIsRefusedBeforeAnythingRuns() {
        MeshStates.disabled("homelab", "cloud");
        int before = operations();
        for (String bad : List.of("forever", "30", "-1s", "1h", "6m", "2.5s", "")) {
            operator()
                    .queryParam("wait", bad)
                    .put("/api/v1/clusters/homelab/clustermesh")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("/problems/invalid-input"))
                    .body("field", equalTo("wait"));
        }
        assertThat(operations()).as("no operation started").isEqualTo(before);
        operator()
                .queryParam("wait", "10m")
                .put("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(400)
                .body("detail", containsString("at most 5m"));
        for (String cluster : List.of("homelab", "cloud")) {
            operator().get("/api/v1/clusters/" + cluster).then().statusCode(200).body("mesh.enabled", equalTo(false));
        }
    }

    @Test
    void enableWithWaitAnswersTheFinishedOperationWithTheHelmWarning() {
        MeshStates.disabled("cloud");
        var done = operator()
                .queryParam("wait", "60s")
                .put("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("state", equalTo("succeeded"))
                .body("kind", equalTo("enable"))
                .body("warnings", hasItem(containsString("managed by Helm release 'cilium'")));
        int total = done.extract().path("progress.total");
        assertThat(done.extract().<Integer>path("progress.done"))
                .isEqualTo(total)
                .isPositive();
        String id = done.extract().path("id");
        operator()
                .queryParam("wait", "1m")
                .put("/api/v1/clusters/homelab/clustermesh")
                .then()
                .statusCode(200)
                .body("state", equalTo("succeeded"));
        operator()
                .get("/api/v1/operations/" + id)
                .then()
                .statusCode(200)
                .body("warnings", hasItem(containsString("managed by Helm release 'cilium'")));
    }

    @Test
    void waitShorterThanTheOperationAnswers202WithTheRunningOperation() {
        MeshStates.enabled("homelab", "{}");
        MeshStates.enabled("cloud", "{}");
        MeshStates.disconnected("homelab", "cloud");
        SimulatedClustersResource.cluster("cloud").failWrite(1, SimulatedWriteFault.SLOW, Duration.ofMillis(2000));
        var accepted = operator()
                .queryParam("wait", "200ms")
                .put("/api/v1/links/homelab/cloud")
                .then()
                .statusCode(202)
                .header("Location", containsString("/api/v1/operations/"))
                .body("state", oneOf("pending", "running"));
        finished(accepted).body("state", equalTo("succeeded"));
    }

    @Test
    void failedOperationAnswersItsRecordWithTheFailuresStatus() {
        MeshStates.enabled("homelab", "{}");
        MeshStates.enabled("cloud", "{}");
        MeshStates.connected("homelab", "cloud");
        SimulatedClustersResource.cluster("cloud").failWrite(1, SimulatedWriteFault.ERROR_500, Duration.ZERO);
        var failed = operator()
                .queryParam("wait", "60s")
                .delete("/api/v1/links/homelab/cloud")
                .then()
                .contentType("application/json")
                .body("state", equalTo("failed"))
                .body("error", containsString("HTTP 500"));
        String type = failed.extract().path("errorType");
        assertThat(type).startsWith("/problems/");
        int expected = java.util.Arrays.stream(io.clustermesh.controller.problems.ProblemType.values())
                .filter(t -> t.uri().equals(type))
                .findFirst()
                .orElseThrow()
                .httpStatus();
        assertThat(failed.extract().statusCode()).isEqualTo(expected).isGreaterThanOrEqualTo(400);
        // Re-running converges, and the wait answers 200 this time.
        operator()
                .queryParam("wait", "60s")
                .delete("/api/v1/links/homelab/cloud")
                .then()
                .statusCode(200)
                .body("state", equalTo("succeeded"));
    }

    @Test
    void dryRunIgnoresWaitAndChangesNothing() {
        MeshStates.enabled("cloud", "{}");
        operator()
                .queryParam("dryRun", "true")
                .queryParam("wait", "30s")
                .delete("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(200)
                .body("dryRun", equalTo(true));
        operator().get("/api/v1/clusters/cloud").then().statusCode(200).body("mesh.enabled", equalTo(true));
    }

    private static int operations() {
        return operator()
                .get("/api/v1/operations")
                .then()
                .statusCode(200)
                .extract()
                .<List<Object>>path("$")
                .size();
    }
}
