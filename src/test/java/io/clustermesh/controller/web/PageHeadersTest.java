package io.clustermesh.controller.web;

import static io.clustermesh.controller.support.Api.operator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.support.SimulatedClustersResource;
import io.clustermesh.controller.support.StateDirResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The page cannot be framed and is revalidated; refusals of a wrong method say which methods are allowed (issue 15, item 8). */
@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StateDirResource.class, restrictToAnnotatedClass = true)
class PageHeadersTest {

    @Test
    void thePageCannotBeFramedAndIsRevalidated() {
        for (String path : PageAssets.all()) {
            Response page = given().get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.getHeader("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
            assertThat(page.getHeader("X-Frame-Options")).as(path).isEqualTo("DENY");
            String cache = String.valueOf(page.getHeader("Cache-Control"));
            assertThat(cache).as(path).doesNotContain("immutable").contains("no-cache");
        }
    }

    @Test
    void junkPathsShareOneMetricsTagAndRealRoutesKeepTheirs() {
        for (int i = 0; i < 150; i++) {
            given().put("/api/v1/junk-" + i).then().statusCode(401);
            given().get("/junk-" + i).then().statusCode(404);
        }
        operator().get("/api/v1/clusters").then().statusCode(200);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.Set<String> uris = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"")
                .matcher(metrics);
        while (m.find()) {
            uris.add(m.group(1));
        }
        assertThat(uris)
                .as("uri tags")
                .noneMatch(u -> u.contains("junk"))
                .contains("/api/v1/clusters")
                .hasSizeLessThan(40);
    }

    @Test
    void aWrongMethodIsA405ProblemListingTheAllowedMethods() {
        Response wrong = operator().post("/api/v1/links/homelab/cloud");
        wrong.then()
                .statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/method-not-allowed"));
        assertThat(wrong.getHeader("Allow")).contains("GET", "PUT", "DELETE").doesNotContain("POST");
    }
}
