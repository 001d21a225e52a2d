package io.clustermesh.controller.audit;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.support.ClusterObjects;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.clustermesh.controller.support.StateDirResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StateDirResource.class, restrictToAnnotatedClass = true)
class AuditTrailTest {

    @Test
    void everyMutationAttemptIsRecordedWithWhoWhatTargetAndResult() throws Exception {
        given().contentType(ContentType.JSON)
                .put("/api/v1/links/homelab/cloud")
                .then()
                .statusCode(401);
        viewer().put("/api/v1/links/homelab/cloud").then().statusCode(403);
        operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/clusters/homelab/clustermesh")
                .then()
                .statusCode(200);
        operator()
                .queryParam("dryRun", "maybe")
                .put("/api/v1/clusters/homelab/clustermesh")
                .then()
                .statusCode(400);
        operator().put("/api/v1/links/homelab/cloud").then().statusCode(409);
        operator()
                .body("{\"clusters\":[\"homelab\",\"cloud\"],\"apiKey\":\"tskey-" + "abcdef\"}")
                .post("/api/v1/mesh/connect")
                .then()
                .statusCode(400);
        String id = finished(operator()
                        .body("{\"serviceType\":\"NodePort\"}")
                        .put("/api/v1/clusters/homelab/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"))
                .extract()
                .path("id");

        List<Map<String, Object>> entries = operator()
                .queryParam("limit", "5")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .path("entries");
        assertThat(entries)
                .extracting(e -> e.get("who") + " " + e.get("method") + " " + e.get("route") + " " + e.get("status")
                        + " " + e.get("problem"))
                .containsExactly(
                        "test-operator PUT /api/v1/clusters/{name}/clustermesh 202 null",
                        "test-operator POST /api/v1/mesh/connect 400 /problems/invalid-input",
                        "test-operator PUT /api/v1/links/{a}/{b} 409 /problems/clustermesh-not-enabled",
                        "test-operator PUT /api/v1/clusters/{name}/clustermesh 400 /problems/invalid-input",
                        "test-operator PUT /api/v1/clusters/{name}/clustermesh 200 null");
        Map<String, Object> started = entries.get(0);
        assertThat(started)
                .containsEntry("operation", id)
                .containsEntry("target", "homelab")
                .containsEntry("body", "{\"serviceType\":\"NodePort\"}")
                .containsKey("time");
        assertThat(entries.get(4)).containsEntry("query", "dryRun=true");
        assertThat(entries.get(1)).containsEntry("target", "homelab,cloud");
        assertThat((String) entries.get(1).get("body"))
                .contains("\"apiKey\":\"<redacted, 12 chars>\"")
                .doesNotContain("abcdef");
        String onDisk = Files.readString(StateDirResource.stateDir().resolve(AuditLog.FILE));
        assertThat(onDisk.lines().toList()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(onDisk).doesNotContain("unauthenticated", "test-viewer");
        // The refusals at the door (401, 403) are counted instead.
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("clustermesh_audit_refused_total{status=\"401\"}"))
                .body(org.hamcrest.Matchers.containsString("clustermesh_audit_refused_total{status=\"403\"}"));
        assertThat(onDisk)
                .doesNotContain(
                        "abcdef", SimulatedClustersResource.OPERATOR_TOKEN, SimulatedClustersResource.VIEWER_TOKEN);
    }

    @Test
    void queryStringsLoseTheirSecretsAndControlCharactersCannotForgeLines() throws Exception {
        String token = SimulatedClustersResource.OPERATOR_TOKEN;
        operator()
                .urlEncodingEnabled(false)
                .put("/api/v1/clusters/homelab/clustermesh?dryRun=true&access_token=" + token)
                .then()
                .statusCode(400);
        operator()
                .urlEncodingEnabled(false)
                .put("/api/v1/clusters/homelab/clustermesh?dryRun=true&q=" + token)
                .then()
                .statusCode(400);
        operator()
                .urlEncodingEnabled(false)
                .put("/api/v1/clusters/homelab/clustermesh?dryRun=true&password=hunter2")
                .then()
                .statusCode(400);
        operator()
                .urlEncodingEnabled(false)
                .put("/api/v1/clusters/home%0a2026-01-01 INFO forged/clustermesh".replace(" ", "%20"))
                .then()
                .statusCode(400);

        List<Map<String, Object>> entries = operator()
                .queryParam("limit", "4")
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .path("entries");
        assertThat(entries)
                .extracting(e -> e.get("query"))
                .containsExactly(
                        null,
                        "dryRun=true&password=<redacted>",
                        "dryRun=true&q=<redacted>",
                        "dryRun=true&access_token=<redacted>");
        assertThat((String) entries.get(0).get("path"))
                .isEqualTo("/api/v1/clusters/home\\u000a2026-01-01 INFO forged/clustermesh");
        String onDisk = Files.readString(StateDirResource.stateDir().resolve(AuditLog.FILE));
        assertThat(onDisk).doesNotContain(token, "hunter2");
        assertThat(onDisk.lines()).noneMatch(line -> line.startsWith("2026-01-01 INFO forged"));
    }

    /**
     * A chunked body carries no length to refuse up front: it is refused once the limit is crossed,
     * with the same 413 problem and audit entry as a body whose declared length is over the limit.
     */
    @Test
    void oversizedChunkedBodyIsRefusedAs413AndAuditedAs413() throws Exception {
        try (var homelab = SimulatedClustersResource.client("homelab");
                var cloud = SimulatedClustersResource.client("cloud")) {
            var clients = Map.<String, KubernetesClient>of("homelab", homelab, "cloud", cloud);
            SimulatedClustersResource.awaitSettled();
            var before = ClusterObjects.snapshot(clients);
            // Just under the limit (1 MiB) a chunked body is read as usual: the bogus service type is what is refused.
            HttpResponse<String> under = putChunked("{\"serviceType\":\"" + "x".repeat(1000 * 1000) + "\"}");
            assertThat(under.statusCode()).as(under.body()).isEqualTo(400);
            assertThat(under.body()).contains("\"field\":\"serviceType\"");

            HttpResponse<String> response = putChunked("{\"serviceType\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("\"type\":\"/problems/payload-too-large\"", "\"field\":\"body\"");

            Map<String, Object> entry = operator()
                    .queryParam("limit", "1")
                    .get("/api/v1/audit")
                    .then()
                    .statusCode(200)
                    .extract()
                    .<List<Map<String, Object>>>path("entries")
                    .get(0);
            assertThat(entry)
                    .containsEntry("who", "test-operator")
                    .containsEntry("method", "PUT")
                    .containsEntry("path", "/api/v1/clusters/cloud/clustermesh")
                    .containsEntry("status", 413)
                    .containsEntry("problem", "/problems/payload-too-large");
            SimulatedClustersResource.awaitSettled();
            assertThat(ClusterObjects.snapshot(clients)).isEqualTo(before);
        }
    }

    private static HttpResponse<String> putChunked(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/clusters/cloud/clustermesh"))
                .header("Authorization", "Bearer " + SimulatedClustersResource.OPERATOR_TOKEN)
                .header("Content-Type", "application/json")
                // An input stream has no known length, so the client sends the body chunked.
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        assertThat(request.bodyPublisher().orElseThrow().contentLength())
                .as("no length, so sent chunked")
                .isEqualTo(-1);
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyOperatorsReadTheTrail() {
        viewer().get("/api/v1/audit")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/forbidden"));
        given().get("/api/v1/audit").then().statusCode(401);
        operator()
                .queryParam("limit", "0")
                .get("/api/v1/audit")
                .then()
                .statusCode(400)
                .body("field", equalTo("limit"));
    }
}
