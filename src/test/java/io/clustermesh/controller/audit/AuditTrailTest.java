package io.clustermesh.controller.audit;

import io.clustermesh.controller.support.SimulatedClustersResource;
import io.clustermesh.controller.support.StateDirResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StateDirResource.class, restrictToAnnotatedClass = true)
class AuditTrailTest {

    @Test
    void everyMutationAttemptIsRecordedWithWhoWhatTargetAndResult() throws Exception {
        given().contentType(ContentType.JSON).put("/api/v1/links/homelab/cloud").then().statusCode(401);
        viewer().put("/api/v1/links/homelab/cloud").then().statusCode(403);
        operator().queryParam("dryRun", "true").put("/api/v1/clusters/homelab/clustermesh").then().statusCode(200);
        operator().queryParam("dryRun", "maybe").put("/api/v1/clusters/homelab/clustermesh").then().statusCode(400);
        operator().put("/api/v1/links/homelab/cloud").then().statusCode(409);
        operator().body("{\"clusters\":[\"homelab\",\"cloud\"],\"apiKey\":\"tskey-" + "abcdef\"}").post("/api/v1/mesh/connect").then().statusCode(400);
        String id = finished(operator().body("{\"serviceType\":\"NodePort\"}").put("/api/v1/clusters/homelab/clustermesh").then())
                .body("state", equalTo("succeeded")).extract().path("id");

        List<Map<String, Object>> entries = operator().queryParam("limit", "5").get("/api/v1/audit").then().statusCode(200).extract().path("entries");
        assertThat(entries).extracting(e -> e.get("who") + " " + e.get("method") + " " + e.get("route") + " " + e.get("status") + " " + e.get("problem"))
                .containsExactly(
                        "test-operator PUT /api/v1/clusters/{name}/clustermesh 202 null",
                        "test-operator POST /api/v1/mesh/connect 400 /problems/invalid-input",
                        "test-operator PUT /api/v1/links/{a}/{b} 409 /problems/clustermesh-not-enabled",
                        "test-operator PUT /api/v1/clusters/{name}/clustermesh 400 /problems/invalid-input",
                        "test-operator PUT /api/v1/clusters/{name}/clustermesh 200 null");
        Map<String, Object> started = entries.get(0);
        assertThat(started).containsEntry("operation", id).containsEntry("target", "homelab")
                .containsEntry("body", "{\"serviceType\":\"NodePort\"}").containsKey("time");
        assertThat(entries.get(4)).containsEntry("query", "dryRun=true");
        assertThat(entries.get(1)).containsEntry("target", "homelab,cloud");
        assertThat((String) entries.get(1).get("body")).contains("\"apiKey\":\"<redacted, 12 chars>\"").doesNotContain("abcdef");
        String onDisk = Files.readString(StateDirResource.stateDir().resolve(AuditLog.FILE));
        assertThat(onDisk.lines().toList()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(onDisk).doesNotContain("unauthenticated", "test-viewer");
        // The refusals at the door (401, 403) are counted instead.
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("clustermesh_audit_refused_total{status=\"401\"}"))
                .body(org.hamcrest.Matchers.containsString("clustermesh_audit_refused_total{status=\"403\"}"));
        assertThat(onDisk).doesNotContain("abcdef", SimulatedClustersResource.OPERATOR_TOKEN, SimulatedClustersResource.VIEWER_TOKEN);
    }

    @Test
    void queryStringsLoseTheirSecretsAndControlCharactersCannotForgeLines() throws Exception {
        String token = SimulatedClustersResource.OPERATOR_TOKEN;
        operator().urlEncodingEnabled(false).put("/api/v1/clusters/homelab/clustermesh?dryRun=true&access_token=" + token).then().statusCode(400);
        operator().urlEncodingEnabled(false).put("/api/v1/clusters/homelab/clustermesh?dryRun=true&q=" + token).then().statusCode(400);
        operator().urlEncodingEnabled(false).put("/api/v1/clusters/homelab/clustermesh?dryRun=true&password=hunter2").then().statusCode(400);
        operator().urlEncodingEnabled(false).put("/api/v1/clusters/home%0a2026-01-01 INFO forged/clustermesh".replace(" ", "%20")).then().statusCode(400);

        List<Map<String, Object>> entries = operator().queryParam("limit", "4").get("/api/v1/audit").then().statusCode(200).extract().path("entries");
        assertThat(entries).extracting(e -> e.get("query")).containsExactly(null, "dryRun=true&password=<redacted>",
                "dryRun=true&q=<redacted>", "dryRun=true&access_token=<redacted>");
        assertThat((String) entries.get(0).get("path")).isEqualTo("/api/v1/clusters/home\\u000a2026-01-01 INFO forged/clustermesh");
        String onDisk = Files.readString(StateDirResource.stateDir().resolve(AuditLog.FILE));
        assertThat(onDisk).doesNotContain(token, "hunter2");
        assertThat(onDisk.lines()).noneMatch(line -> line.startsWith("2026-01-01 INFO forged"));
    }

    @Test
    void onlyOperatorsReadTheTrail() {
        viewer().get("/api/v1/audit").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("/problems/forbidden"));
        given().get("/api/v1/audit").then().statusCode(401);
        operator().queryParam("limit", "0").get("/api/v1/audit").then().statusCode(400).body("field", equalTo("limit"));
    }
}
