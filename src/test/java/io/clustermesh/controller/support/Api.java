package io.clustermesh.controller.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;

/** REST calls as an operator or a viewer, and waiting for operations to finish. */
public final class Api {
    private Api() {}

    public static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + SimulatedClustersResource.OPERATOR_TOKEN)
                .contentType(ContentType.JSON);
    }

    public static RequestSpecification viewer() {
        return given().header("Authorization", "Bearer " + SimulatedClustersResource.VIEWER_TOKEN)
                .contentType(ContentType.JSON);
    }

    /** Waits for the operation a 202 response started and returns its final JSON. */
    public static ValidatableResponse finished(ValidatableResponse accepted) {
        String id = accepted.statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !Map.of("pending", 1, "running", 1)
                        .containsKey(operator()
                                .get("/api/v1/operations/" + id)
                                .then()
                                .extract()
                                .<String>path("state")));
        return operator().get("/api/v1/operations/" + id).then();
    }

    /** Waits until {@code GET /api/v1/links/{a}/{b}} reads {@code status}. */
    public static void awaitLinkStatus(String a, String b, String status, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> operator()
                        .get("/api/v1/links/" + a + "/" + b)
                        .then()
                        .statusCode(200)
                        .body("status", org.hamcrest.Matchers.equalTo(status)));
    }

    /** The demo's usual mesh: enable homelab (NodePort) and cloud (LoadBalancer), connect them; each operation succeeds. */
    public static void enableAndConnectHomelabAndCloud() {
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then())
                .body("state", org.hamcrest.Matchers.equalTo("succeeded"));
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", org.hamcrest.Matchers.equalTo("succeeded"));
        finished(operator().put("/api/v1/links/homelab/cloud").then())
                .body("state", org.hamcrest.Matchers.equalTo("succeeded"));
    }
}
