package io.clustermesh.controller.api;

import static io.clustermesh.controller.support.Api.viewer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.health.HealthReport;
import io.clustermesh.controller.health.HealthService;
import io.clustermesh.controller.health.HealthStatus;
import io.clustermesh.controller.health.HealthTestProfile;
import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cached health answer: its bytes per snapshot, gzip, ETag and 304, and authorisation on this route. */
@QuarkusTest
@TestProfile(HealthTestProfile.class)
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
class HealthServingTest {
    @Inject
    HealthService health;

    @Inject
    HealthDocuments documents;

    @Inject
    ObjectMapper json;

    @TestHTTPResource("/api/v1/health")
    URI uri;

    @BeforeEach
    void healthy() {
        SimulatedClustersResource.cluster("cloud").heal();
        HealthReport report = health.refresh();
        for (int i = 0; i < 50 && report.status() != HealthStatus.HEALTHY; i++) {
            report = health.refresh();
        }
        assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void theBodyIsTheCurrentSnapshotSerialisedOnceAndChangesWithTheNextSnapshot() throws Exception {
        HealthReport before = health.current(Duration.ZERO).orElseThrow();
        Response first = viewer().get("/api/v1/health");
        first.then().statusCode(200).contentType("application/json");
        assertThat(first.asString()).isEqualTo(json.writeValueAsString(before));
        assertThat(documents.now().orElseThrow())
                .as("one document per snapshot")
                .isSameAs(documents.now().orElseThrow());
        assertThat(viewer().get("/api/v1/health").asByteArray()).isEqualTo(first.asByteArray());

        HealthReport after = health.refresh();
        Response second = viewer().get("/api/v1/health");
        assertThat(second.asString()).isEqualTo(json.writeValueAsString(after)).isNotEqualTo(first.asString());
        assertThat(after.checkedAt()).isAfter(before.checkedAt());
        assertThat(second.header("ETag")).isNotEqualTo(first.header("ETag"));
    }

    @Test
    void pollersGet304WhileNothingChangedAndTheNewBodyOnceItHas() {
        Response full = viewer().get("/api/v1/health");
        String etag = full.header("ETag");
        assertThat(etag).as("RestAssured accepts gzip").matches("\"[0-9a-f]{32}-gzip\"");

        Response notModified = viewer().header("If-None-Match", etag).get("/api/v1/health");
        notModified.then().statusCode(304).header("ETag", etag);
        assertThat(notModified.asByteArray()).isEmpty();
        viewer().header("If-None-Match", "\"something-else\", W/" + etag)
                .get("/api/v1/health")
                .then()
                .statusCode(304);
        viewer().header("If-None-Match", "\"something-else\"")
                .get("/api/v1/health")
                .then()
                .statusCode(200)
                .header("ETag", etag);

        health.refresh();
        Response changed = viewer().header("If-None-Match", etag).get("/api/v1/health");
        changed.then().statusCode(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.asByteArray()).isNotEmpty();
    }

    @Test
    void gzipGoesOnlyToClientsThatAskForItAndUnzipsToThePlainBody() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<byte[]> plain = client.send(request().build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> gzipped = client.send(
                request().header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
        String gzipEtag = gzipped.headers().firstValue("ETag").orElseThrow();
        assertThat(gzipEtag).isNotEqualTo(plain.headers().firstValue("ETag").orElseThrow());
        HttpResponse<byte[]> revalidated = client.send(
                request()
                        .header("Accept-Encoding", "gzip")
                        .header("If-None-Match", gzipEtag)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(client.send(
                                request().header("If-None-Match", gzipEtag).build(),
                                HttpResponse.BodyHandlers.ofByteArray())
                        .statusCode())
                .as("the plain bytes are another representation")
                .isEqualTo(200);
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + SimulatedClustersResource.VIEWER_TOKEN);
    }

    @Test
    void anUnhealthyAnswerIsAlwaysSentInFullEvenToAMatchingEtag() {
        SimulatedClustersResource.cluster("cloud").inject(SimulatedFault.APISERVER_DOWN);
        health.refresh();
        String etag =
                viewer().get("/api/v1/health").then().statusCode(503).extract().header("ETag");
        viewer().header("If-None-Match", etag)
                .get("/api/v1/health")
                .then()
                .statusCode(503)
                .header("ETag", etag)
                .body("status", equalTo("down"));
    }

    @Test
    void theRouteRefusesMissingWrongAndNonBearerTokensWithProblemJson() {
        for (var request : java.util.List.of(
                given(),
                given().header("Authorization", "Bearer " + SimulatedClustersResource.VIEWER_TOKEN + "x"),
                given().header("Authorization", "Basic " + SimulatedClustersResource.VIEWER_TOKEN))) {
            Response refused = request.get("/api/v1/health");
            refused.then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer realm=\"clustermesh-controller\"")
                    .body("type", equalTo("/problems/unauthenticated"))
                    .body("status", equalTo(401))
                    .body("instance", equalTo("/api/v1/health"));
            assertThat(refused.header("ETag")).isNull();
            assertThat(refused.asString())
                    .doesNotContain("\"clusters\"")
                    .doesNotContain(SimulatedClustersResource.VIEWER_TOKEN);
        }
        given().head("/api/v1/health").then().statusCode(401);
        given().header("Authorization", "Bearer " + SimulatedClustersResource.VIEWER_TOKEN)
                .post("/api/v1/health")
                .then()
                .statusCode(403);
    }

    @Test
    void headAnswersTheStatusAndEtagWithoutABody() {
        Response get = viewer().get("/api/v1/health");
        assertThat(get.header("Content-Length")).isNotBlank();
        Response head = viewer().head("/api/v1/health");
        head.then()
                .statusCode(200)
                .header("ETag", get.header("ETag"))
                .header("Content-Length", get.header("Content-Length"));
        assertThat(head.asByteArray()).isEmpty();
    }
}
