package io.clustermesh.controller.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Drives every route of {@code /q/openapi} and compares the status codes the service really
 * answers with the ones the document lists for that operation. Runs against the demo (simulated
 * homelab and cloud), so the simulation's own routes answer too.
 */
@QuarkusTest
@TestProfile(OpenApiStatusCodesTest.Demo.class)
class OpenApiStatusCodesTest {

    public static class Demo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                return Map.of(
                        "mesh.demo.enabled",
                        "true",
                        "mesh.simulator.routed-nodes",
                        "true",
                        "mesh.demo.operator-token",
                        SimulatedClustersResource.OPERATOR_TOKEN,
                        "mesh.demo.viewer-token",
                        SimulatedClustersResource.VIEWER_TOKEN,
                        "mesh.health.refresh-interval",
                        "1s",
                        "mesh.state-dir",
                        Files.createTempDirectory("openapi-state-").toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private final Map<String, Set<Integer>> observed = new TreeMap<>();

    @Test
    void everyStatusCodeAnEndpointAnswersIsDocumentedForThatOperation() {
        driveReads();
        driveEnableAndConnect();
        driveRotationsAndProbes();
        driveHealthChecksAuditAndSimulation();
        driveDisconnectAndDisable();

        Map<String, Set<Integer>> documented = documentedStatusCodes();
        assertThat(observed.keySet())
                .as("every documented /api/v1 route was driven")
                .containsAll(documented.keySet());
        List<String> undocumented = new ArrayList<>();
        observed.forEach((route, codes) -> codes.stream()
                .filter(c -> !documented.getOrDefault(route, Set.of()).contains(c))
                .forEach(c -> undocumented.add(route + " answered " + c)));
        assertThat(undocumented)
                .as("status codes answered but not in /q/openapi (documented: %s)", documented)
                .isEmpty();
        // The codes that matter most were really seen, not only documented.
        for (String mutation : List.of(
                "PUT /api/v1/clusters/{name}/clustermesh",
                "DELETE /api/v1/clusters/{name}/clustermesh",
                "PUT /api/v1/links/{a}/{b}",
                "DELETE /api/v1/links/{a}/{b}",
                "POST /api/v1/mesh/connect",
                "POST /api/v1/clusters/{name}/wireguard/rotations",
                "POST /api/v1/clusters/{name}/certificates/rotations")) {
            assertThat(observed.get(mutation)).as(mutation).contains(200, 202, 401, 403);
        }
        assertThat(observed.get("GET /api/v1/health")).contains(200, 304, 401, 503);
        assertThat(observed.get("DELETE /api/v1/clusters/{name}/clustermesh")).contains(409);
        assertThat(observed.get("PUT /api/v1/clusters/{name}/clustermesh")).contains(400, 404, 413);
    }

    @Test
    void theDocumentHasABearerSchemeOptionalBodiesAndExamples() {
        Map<String, Object> doc = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        assertThat(doc)
                .extractingByKey("components")
                .extracting("securitySchemes")
                .extracting("bearer")
                .isEqualTo(Map.of(
                        "type",
                        "http",
                        "scheme",
                        "bearer",
                        "description",
                        "A viewer or operator token (mesh.auth.tokens.*); viewers read, operators also change."));
        assertThat(doc.get("security")).isEqualTo(List.of(Map.of("bearer", List.of())));
        Map<String, Object> enable = operation(doc, "/api/v1/clusters/{name}/clustermesh", "put");
        assertThat(enable).extracting("requestBody").extracting("required").isEqualTo(false);
        assertThat(enable)
                .extracting("requestBody")
                .extracting("content")
                .extracting("application/json")
                .extracting("example")
                .isEqualTo("{\"serviceType\": \"LoadBalancer\"}");
        assertThat(operation(doc, "/api/v1/mesh/connect", "post"))
                .extracting("requestBody")
                .extracting("required")
                .isEqualTo(true);
        assertThat(enable)
                .extracting("responses")
                .extracting("202")
                .extracting("content")
                .extracting("application/json")
                .extracting("schema")
                .extracting("$ref")
                .isEqualTo("#/components/schemas/Operation");
        assertThat(enable)
                .extracting("responses")
                .extracting("400")
                .extracting("content")
                .extracting("application/problem+json")
                .extracting("schema")
                .extracting("$ref")
                .isEqualTo("#/components/schemas/Problem");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> operation(Map<String, Object> doc, String path, String method) {
        return (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) doc.get("paths")).get(path)).get(method);
    }

    private void driveReads() {
        for (String path : List.of(
                "/api/v1/clusters",
                "/api/v1/links",
                "/api/v1/operations",
                "/api/v1/reachability",
                "/api/v1/checks",
                "/api/v1/whoami",
                "/api/v1/sim")) {
            call("GET", path, viewer().get(path));
            call("GET", path, anonymous().get(path));
        }
        for (String template : List.of(
                "/api/v1/clusters/{name}",
                "/api/v1/clusters/{name}/wireguard",
                "/api/v1/clusters/{name}/certificates")) {
            call("GET", template, viewer().get(template.replace("{name}", "homelab")));
            call("GET", template, viewer().get(template.replace("{name}", "nowhere")));
            call("GET", template, anonymous().get(template.replace("{name}", "homelab")));
        }
        call("GET", "/api/v1/operations/{id}", viewer().get("/api/v1/operations/00000000-0000-0000-0000-000000000000"));
        call(
                "GET",
                "/api/v1/operations/{id}",
                anonymous().get("/api/v1/operations/00000000-0000-0000-0000-000000000000"));
    }

    private void driveEnableAndConnect() {
        String enable = "PUT /api/v1/clusters/{name}/clustermesh";
        call(enable, operator().put("/api/v1/clusters/homelab/clustermesh?dryRun=true"));
        refusals(enable, r -> r.put("/api/v1/clusters/homelab/clustermesh"));
        call(enable, operator().body("{\"serviceType\":\"Bogus\"}").put("/api/v1/clusters/homelab/clustermesh"));
        call(enable, operator().put("/api/v1/clusters/homelab/clustermesh?dryRun=perhaps"));
        call(enable, operator().put("/api/v1/clusters/nowhere/clustermesh"));
        call(
                enable,
                operator()
                        .body("{\"serviceType\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")
                        .put("/api/v1/clusters/homelab/clustermesh"));
        finish(call(enable, operator().put("/api/v1/clusters/homelab/clustermesh")));
        finish(call(
                enable,
                operator().body("{\"serviceType\":\"LoadBalancer\"}").put("/api/v1/clusters/cloud/clustermesh")));

        String connect = "PUT /api/v1/links/{a}/{b}";
        call(connect, operator().put("/api/v1/links/homelab/cloud?dryRun=true"));
        refusals(connect, r -> r.put("/api/v1/links/homelab/cloud"));
        call(connect, operator().put("/api/v1/links/homelab/homelab"));
        call(connect, operator().put("/api/v1/links/homelab/nowhere"));
        Response started = call(connect, operator().put("/api/v1/links/homelab/cloud"));
        // A second change while the first runs on the same clusters.
        call(connect, operator().put("/api/v1/links/homelab/cloud"));
        finish(started);

        String mesh = "POST /api/v1/mesh/connect";
        call(mesh, operator().body("{\"clusters\":[\"homelab\",\"cloud\"]}").post("/api/v1/mesh/connect?dryRun=true"));
        refusals(mesh, r -> r.body("{\"clusters\":[\"homelab\",\"cloud\"]}").post("/api/v1/mesh/connect"));
        call(mesh, operator().body("{\"clusters\":[\"homelab\"]}").post("/api/v1/mesh/connect"));
        call(mesh, operator().body("{\"clusters\":[\"homelab\",\"nowhere\"]}").post("/api/v1/mesh/connect"));
        finish(call(
                mesh, operator().body("{\"clusters\":[\"homelab\",\"cloud\"]}").post("/api/v1/mesh/connect")));

        call("GET", "/api/v1/links/{a}/{b}", viewer().get("/api/v1/links/homelab/cloud"));
        call("GET", "/api/v1/links/{a}/{b}", viewer().get("/api/v1/links/homelab/nowhere"));
        call("GET", "/api/v1/links/{a}/{b}", anonymous().get("/api/v1/links/homelab/cloud"));
        call("GET", "/api/v1/links/{a}/{b}/history", viewer().get("/api/v1/links/homelab/cloud/history"));
        call("GET", "/api/v1/links/{a}/{b}/history", anonymous().get("/api/v1/links/homelab/cloud/history"));
        call("GET", "/api/v1/links/{a}/{b}/history", viewer().get("/api/v1/links/homelab/nowhere/history"));
    }

    private void driveRotationsAndProbes() {
        String keys = "POST /api/v1/clusters/{name}/wireguard/rotations";
        call(keys, operator().post("/api/v1/clusters/cloud/wireguard/rotations?dryRun=true"));
        refusals(keys, r -> r.post("/api/v1/clusters/cloud/wireguard/rotations"));
        call(keys, operator().body("{\"maxUnavailable\":2}").post("/api/v1/clusters/cloud/wireguard/rotations"));
        call(keys, operator().post("/api/v1/clusters/nowhere/wireguard/rotations"));
        finish(call(
                keys,
                operator().body("{\"nodes\":[\"cloud-node-1\"]}").post("/api/v1/clusters/cloud/wireguard/rotations")));

        String certificates = "POST /api/v1/clusters/{name}/certificates/rotations";
        call(certificates, operator().post("/api/v1/clusters/homelab/certificates/rotations?dryRun=true"));
        refusals(certificates, r -> r.post("/api/v1/clusters/homelab/certificates/rotations"));
        call(
                certificates,
                operator().body("{\"ca\":\"sometimes\"}").post("/api/v1/clusters/homelab/certificates/rotations"));
        call(certificates, operator().post("/api/v1/clusters/nowhere/certificates/rotations"));
        finish(call(certificates, operator().post("/api/v1/clusters/homelab/certificates/rotations")));

        String probes = "POST /api/v1/reachability/probes";
        refusals(probes, r -> r.post("/api/v1/reachability/probes"));
        call(
                probes,
                operator()
                        .body("{\"endpoints\":{\"homelab\":\"not-host-port\"}}")
                        .post("/api/v1/reachability/probes"));
        call(probes, operator().body("{\"clusters\":[\"nowhere\"]}").post("/api/v1/reachability/probes"));
        finish(call(probes, operator().post("/api/v1/reachability/probes")));
    }

    private void driveHealthChecksAuditAndSimulation() {
        String health = "GET /api/v1/health";
        call(health, anonymous().get("/api/v1/health"));
        // A refresh (every second here) that changes the report between the two reads answers 200:
        // the pair is read again until the report held still between them.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Response first = call(health, viewer().get("/api/v1/health"));
            return call(
                                    health,
                                    viewer().header("If-None-Match", first.header("ETag"))
                                            .get("/api/v1/health"))
                            .statusCode()
                    == 304;
        });

        String faults = "POST /api/v1/sim/faults";
        refusals(
                faults,
                r -> r.body("{\"cluster\":\"cloud\",\"type\":\"apiserver-down\"}")
                        .post("/api/v1/sim/faults"));
        call(
                faults,
                operator()
                        .body("{\"cluster\":\"cloud\",\"type\":\"earthquake\"}")
                        .post("/api/v1/sim/faults"));
        call(
                faults,
                operator()
                        .body("{\"cluster\":\"nowhere\",\"type\":\"apiserver-down\"}")
                        .post("/api/v1/sim/faults"));
        call(
                faults,
                operator()
                        .body("{\"cluster\":\"cloud\",\"type\":\"apiserver-down\"}")
                        .post("/api/v1/sim/faults"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> call(health, viewer().get("/api/v1/health")).statusCode() == 503);
        call(
                "PUT /api/v1/clusters/{name}/clustermesh",
                operator().body("{\"serviceType\":\"LoadBalancer\"}").put("/api/v1/clusters/cloud/clustermesh"));
        call("GET", "/api/v1/clusters/{name}", viewer().get("/api/v1/clusters/cloud"));
        call("DELETE /api/v1/sim/faults", anonymous().delete("/api/v1/sim/faults"));
        call("DELETE /api/v1/sim/faults", viewer().delete("/api/v1/sim/faults"));
        call("DELETE /api/v1/sim/faults", operator().delete("/api/v1/sim/faults"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> call(health, viewer().get("/api/v1/health")).statusCode() == 200);

        call("GET /api/v1/snapshot", viewer().get("/api/v1/snapshot"));
        call("GET /api/v1/snapshot", anonymous().get("/api/v1/snapshot"));
        String routes = "POST /api/v1/sim/subnet-routes";
        refusals(routes, r -> r.body("{\"cidr\":\"10.9.0.0/24\"}").post("/api/v1/sim/subnet-routes"));
        call(routes, operator().body("{\"cidr\":\"not-a-cidr\"}").post("/api/v1/sim/subnet-routes"));
        call(routes, operator().body("{\"cidr\":\"10.9.0.0/24\"}").post("/api/v1/sim/subnet-routes"));
        call("GET /api/v1/sim/subnet-routes", viewer().get("/api/v1/sim/subnet-routes"));
        call("GET /api/v1/sim/subnet-routes", anonymous().get("/api/v1/sim/subnet-routes"));
        call("DELETE /api/v1/sim/subnet-routes", viewer().delete("/api/v1/sim/subnet-routes"));
        call("GET /api/v1/sim/requests", viewer().get("/api/v1/sim/requests"));
        call("GET /api/v1/sim/requests", anonymous().get("/api/v1/sim/requests"));

        String checks = "POST /api/v1/checks";
        String run = "{\"startedAt\":\"" + Instant.now()
                + "\",\"durationMs\":1200,\"status\":\"healthy\",\"exitCode\":0,\"host\":\"cronjob\"}";
        refusals(checks, r -> r.body(run).post("/api/v1/checks"));
        call(checks, operator().body("{\"durationMs\":1}").post("/api/v1/checks"));
        call(checks, operator().body(run).post("/api/v1/checks"));

        call("GET", "/api/v1/audit", operator().get("/api/v1/audit?limit=5"));
        call("GET", "/api/v1/audit", operator().get("/api/v1/audit?limit=lots"));
        call("GET", "/api/v1/audit", viewer().get("/api/v1/audit"));
        call("GET", "/api/v1/audit", anonymous().get("/api/v1/audit"));
    }

    private void driveDisconnectAndDisable() {
        String disable = "DELETE /api/v1/clusters/{name}/clustermesh";
        call(disable, operator().delete("/api/v1/clusters/homelab/clustermesh"));
        call(disable, operator().delete("/api/v1/clusters/homelab/clustermesh?force=maybe"));
        refusals(disable, r -> r.delete("/api/v1/clusters/homelab/clustermesh"));
        call(disable, operator().delete("/api/v1/clusters/nowhere/clustermesh"));

        String disconnect = "DELETE /api/v1/links/{a}/{b}";
        call(disconnect, operator().delete("/api/v1/links/homelab/cloud?dryRun=true"));
        refusals(disconnect, r -> r.delete("/api/v1/links/homelab/cloud"));
        call(disconnect, operator().delete("/api/v1/links/homelab/nowhere"));
        finish(call(disconnect, operator().delete("/api/v1/links/homelab/cloud")));

        call(disable, operator().delete("/api/v1/clusters/homelab/clustermesh?dryRun=true"));
        finish(call(disable, operator().delete("/api/v1/clusters/homelab/clustermesh")));
    }

    /** The same request without a token (401) and with the viewer's (403 for changes). */
    private void refusals(String route, java.util.function.Function<RequestSpecification, Response> request) {
        call(route, request.apply(anonymous()));
        call(route, request.apply(viewer()));
    }

    private Response call(String method, String template, Response response) {
        return call(method + " " + template, response);
    }

    private Response call(String route, Response response) {
        observed.computeIfAbsent(route, r -> new TreeSet<>()).add(response.statusCode());
        return response;
    }

    /** Waits for an operation the call started, so the next call finds the clusters free. */
    private static void finish(Response accepted) {
        assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(202);
        String id = accepted.jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String state = operator()
                            .get("/api/v1/operations/" + id)
                            .jsonPath()
                            .getString("state");
                    return !"pending".equals(state) && !"running".equals(state);
                });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Set<Integer>> documentedStatusCodes() {
        Map<String, Object> doc = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        Map<String, Set<Integer>> documented = new TreeMap<>();
        ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, operations) -> {
            if (!path.startsWith("/api/v1/")) {
                return;
            }
            operations.forEach((method, operation) -> {
                if (!(operation instanceof Map<?, ?> op) || !op.containsKey("responses")) {
                    return;
                }
                Set<Integer> codes = new TreeSet<>();
                ((Map<String, Object>) op.get("responses")).keySet().forEach(code -> codes.add(Integer.parseInt(code)));
                documented.put(method.toUpperCase() + " " + path, codes);
            });
        });
        return documented;
    }

    private static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + SimulatedClustersResource.OPERATOR_TOKEN)
                .contentType(ContentType.JSON);
    }

    private static RequestSpecification viewer() {
        return given().header("Authorization", "Bearer " + SimulatedClustersResource.VIEWER_TOKEN)
                .contentType(ContentType.JSON);
    }

    private static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }
}
