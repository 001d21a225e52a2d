package io.clustermesh.controller.health;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.health.spi.Check;
import io.clustermesh.controller.health.spi.CheckStatus;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(HealthTestProfile.class)
@QuarkusTestResource(
        value = SimulatedClustersResource.class,
        initArgs = @ResourceArg(name = "clusters", value = "2"),
        restrictToAnnotatedClass = true)
class HealthApiTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;

    @Inject
    HealthService health;

    @AfterEach
    void heal() {
        SimulatedClustersResource.cluster("homelab").heal();
        SimulatedClustersResource.cluster("cloud").heal();
    }

    @Test
    void firstRefreshRunsInTheBackgroundAndFreshClustersAreHealthy() {
        MeshStates.disabled("homelab", "cloud");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> health.current(Duration.ZERO).isPresent());
        // The background refresh ran; a cold JVM's first cluster calls may have missed the short
        // deadline of this profile, so refresh until the fresh clusters have answered in time.
        awaitStatus(HealthStatus.HEALTHY);
        // The WireGuard key ages come from a reading in the background, which may end after the clusters answered.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> health.refresh().clusters().stream()
                        .allMatch(
                                c -> c.checks().stream().anyMatch(k -> k.name().equals("wireguard-key-age"))));
        JsonPath body =
                viewer().get("/api/v1/health").then().statusCode(200).extract().jsonPath();
        assertThat(body.getString("status")).isEqualTo("healthy");
        assertThat(body.getList("clusters.name")).containsExactlyInAnyOrder("homelab", "cloud");
        assertThat(body.getList("clusters.simulated", Boolean.class)).containsOnly(true);
        assertThat(body.getList("clusters.find { it.name == 'homelab' }.checks.name"))
                .containsExactly("api", "cilium", "clustermesh-apiserver", "certificates", "wireguard-key-age");
        assertThat(body.getList("clusters.checks.status.flatten()")).containsOnly("ok");
        assertThat(body.getString("clusters.find { it.name == 'homelab' }.checks.find { it.name == 'cilium' }.reason"))
                .isEqualTo("Cilium 1.18.2, cluster-name homelab, cluster-id 1");
        assertThat(body.getList("links")).isEmpty();
    }

    @Test
    void readingHealthCostsNoClusterCall() {
        awaitStatus(HealthStatus.HEALTHY);
        long before = SimulatedClustersResource.cluster("homelab").requestCount()
                + SimulatedClustersResource.cluster("cloud").requestCount();
        for (int i = 0; i < 5; i++) {
            viewer().get("/api/v1/health").then().statusCode(200);
        }
        long after = SimulatedClustersResource.cluster("homelab").requestCount()
                + SimulatedClustersResource.cluster("cloud").requestCount();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void connectedMeshIsHealthyWithCertificatesInTheCalendarAndTheCheckExitsZero() {
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
        awaitStatus(HealthStatus.HEALTHY);

        JsonPath body =
                viewer().get("/api/v1/health").then().statusCode(200).extract().jsonPath();
        assertThat(body.getList("links.a")).containsExactly("cloud");
        assertThat(body.getString("links[0].b")).isEqualTo("homelab");
        assertThat(body.getString("links[0].status")).isEqualTo("healthy");
        assertThat(body.getString("links[0].reason")).isEqualTo("both directions ready");
        assertThat(
                        body.getString(
                                "clusters.find { it.name == 'cloud' }.checks.find { it.name == 'clustermesh-apiserver' }.reason"))
                .startsWith("ready (ready 1/1");
        // four leaf certificates and the CA per cluster, a little under three years left
        List<Map<String, Object>> expiries = body.getList("expiries");
        var certificates = expiries.stream()
                .filter(e -> !String.valueOf(e.get("what")).startsWith("WireGuard key of "))
                .toList();
        assertThat(certificates).hasSize(10);
        assertThat(certificates)
                .extracting(e -> (Integer) e.get("daysLeft"))
                .allSatisfy(d -> assertThat(d).isBetween(1090, 1095));
        // and each node's WireGuard key (2 homelab + 3 cloud nodes) with the 90-day policy
        assertThat(expiries.size() - certificates.size()).isBetween(0, 5);
        assertThat(body.getList("expiries.what", String.class))
                .anySatisfy(w -> assertThat(w).startsWith("CA clustermesh-apiserver-server-cert/ca.crt"));

        assertExit(runCheck("--output", "json"), 0);
    }

    @Test
    void agentReportingTheRemoteNotConnectedDegradesTheLinkWithReasonAndHint() {
        healthyConnectedMesh();
        // The history outlives disconnects and other tests' faults: this fault must add exactly one flap.
        int flapsBefore = viewer().get("/api/v1/links/homelab/cloud/history")
                .then()
                .statusCode(200)
                .extract()
                .path("flapCount");
        SimulatedClustersResource.cluster("homelab").inject(SimulatedFault.PORT_FORWARD_REMOVED);
        awaitStatus(HealthStatus.DEGRADED);

        JsonPath body =
                viewer().get("/api/v1/health").then().statusCode(503).extract().jsonPath();
        assertThat(body.getString("status")).isEqualTo("degraded");
        assertThat(body.getString("links[0].status")).isEqualTo("degraded");
        assertThat(body.getString("links[0].reason"))
                .startsWith("cloud→homelab: ")
                .doesNotContain("homelab→cloud");
        assertThat(body.getString("links[0].hint")).contains("homelab").contains("reachab");
        assertThat(body.getList("clusters.status")).containsOnly("healthy");

        Result check = runCheck();
        assertExit(check, 1);
        assertThat(check.out).contains("link cloud <-> homelab: degraded").contains("cloud→homelab");

        SimulatedClustersResource.cluster("homelab").heal();
        awaitStatus(HealthStatus.HEALTHY);
        JsonPath history = viewer().get("/api/v1/links/homelab/cloud/history")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        // While a link comes up one direction may be ready before the other, so it can start as degraded.
        List<String> to = history.getList("transitions.to");
        assertThat(to).endsWith("healthy", "degraded", "healthy");
        assertThat(history.getList("transitions.from")).startsWith("unknown").endsWith("healthy", "degraded");
        assertThat(history.getString("transitions[" + (to.size() - 2) + "].reason"))
                .startsWith("cloud→homelab: ");
        assertThat(history.getInt("flapCount")).isEqualTo(flapsBefore + 1);
        assertThat(history.getString("lastGoodAt")).isNotNull();
        viewer().get("/api/v1/links/cloud/homelab/history")
                .then()
                .statusCode(200)
                .body("a", equalTo("cloud"))
                .body("flapCount", equalTo(flapsBefore + 1));
        viewer().get("/api/v1/links/homelab/nosuch/history")
                .then()
                .statusCode(404)
                .body("type", equalTo("/problems/unknown-cluster"));
    }

    @Test
    void clustermeshApiserverNotReadyFailsItsCheck() {
        healthyConnectedMesh();
        try (var homelab = SimulatedClustersResource.client("homelab")) {
            var deployment = homelab.apps().deployments().inNamespace(NS).withName(CiliumNames.APISERVER);
            deployment.scale(0);
            try {
                // Until the simulated controller has observed the scale-down, the status still counts the old pod.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> check(health.refresh(), "homelab", "clustermesh-apiserver")
                                .reason()
                                .startsWith("not ready (ready 0/0"));
                JsonPath body = viewer().get("/api/v1/health")
                        .then()
                        .statusCode(503)
                        .extract()
                        .jsonPath();
                String path = "clusters.find { it.name == 'homelab' }";
                assertThat(body.getString(path + ".status")).isEqualTo("degraded");
                assertThat(body.getString(path + ".checks.find { it.name == 'clustermesh-apiserver' }.reason"))
                        .startsWith("not ready (ready 0/0");
                assertThat(body.getString(path + ".checks.find { it.name == 'clustermesh-apiserver' }.hint"))
                        .contains("describe deployment clustermesh-apiserver");
            } finally {
                deployment.scale(1);
            }
        }
        awaitStatus(HealthStatus.HEALTHY);
    }

    @Test
    void expiringCertificateWarnsWithDaysLeftAndTheRotationHint() {
        healthyConnectedMesh();
        try (var homelab = SimulatedClustersResource.client("homelab")) {
            var secrets = homelab.secrets().inNamespace(NS).withName(CiliumNames.ADMIN_CERT_SECRET);
            Secret original = secrets.get();
            var ca = CertificateAuthority.generate("test CA", Duration.ofDays(365), Clock.systemUTC());
            var shortLived = ca.issue(ClusterMeshCertificates.client("admin-homelab", Duration.ofDays(10)));
            secrets.edit(s -> {
                s.getData()
                        .put(
                                CiliumNames.TLS_CRT,
                                Base64.getEncoder()
                                        .encodeToString(
                                                shortLived.certificatePem().getBytes(StandardCharsets.US_ASCII)));
                return s;
            });
            try {
                // The edit reaches the service through its watch: refresh until it has arrived.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> check(health.refresh(), "homelab", "certificates")
                                        .status()
                                != CheckStatus.OK);
                HealthReport report = health.refresh();
                Check certificates = check(report, "homelab", "certificates");
                assertThat(certificates.status()).isEqualTo(CheckStatus.WARNING);
                assertThat(certificates.reason())
                        .startsWith(
                                "certificate clustermesh-apiserver-admin-cert/tls.crt (CN=admin-homelab) expires in 9 days");
                assertThat(certificates.hint())
                        .isEqualTo("rotate them: POST /api/v1/clusters/homelab/certificates/rotations");
                JsonPath body = viewer().get("/api/v1/health")
                        .then()
                        .statusCode(503)
                        .extract()
                        .jsonPath();
                assertThat(body.getString("status")).isEqualTo("degraded");
                assertThat(body.getInt("expiries[0].daysLeft")).isEqualTo(9);
                assertThat(body.getString("expiries[0].cluster")).isEqualTo("homelab");
                String metrics = given().get("/q/metrics")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
                double seconds = metricValue(
                        metrics,
                        "clustermesh_certificate_expiry_seconds{certificate=\"tls.crt\",cluster=\"homelab\",secret=\"clustermesh-apiserver-admin-cert\"}");
                assertThat(seconds).isBetween(9 * 86400.0, 10 * 86400.0);
                assertExit(runCheck(), 1);
            } finally {
                secrets.edit(s -> {
                    s.setData(original.getData());
                    return s;
                });
            }
        }
        awaitStatus(HealthStatus.HEALTHY);
    }

    @Test
    void deadClusterIsDownWithReasonAndHintAndDoesNotDelayTheOthers() {
        healthyConnectedMesh();
        for (SimulatedFault fault : List.of(SimulatedFault.BLACKHOLE, SimulatedFault.APISERVER_DOWN)) {
            SimulatedClustersResource.cluster("cloud").inject(fault);
            HealthReport report = health.refresh();
            // A black hole holds requests for an hour: only the per-cluster deadline (1.5 s) ends the wait.
            assertThat(health.lastRefreshDuration()).isLessThan(Duration.ofSeconds(10));
            assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
            var cloud = report.clusters().stream()
                    .filter(c -> c.name().equals("cloud"))
                    .findFirst()
                    .orElseThrow();
            assertThat(cloud.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(cloud.checks()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("api");
                assertThat(c.status()).isEqualTo(CheckStatus.FAILING);
                assertThat(c.reason()).contains("did not answer");
                assertThat(c.hint()).contains("kubeconfig context cloud");
            });
            var homelab = report.clusters().stream()
                    .filter(c -> c.name().equals("homelab"))
                    .findFirst()
                    .orElseThrow();
            assertThat(homelab.checks())
                    .extracting(Check::name)
                    .containsExactly("api", "cilium", "clustermesh-apiserver", "certificates", "wireguard-key-age");
            assertThat(homelab.checks()).extracting(Check::status).containsOnly(CheckStatus.OK);
            assertThat(report.links())
                    .singleElement()
                    .satisfies(l -> assertThat(l.reason()).contains("cloud did not answer"));
            viewer().get("/api/v1/health").then().statusCode(503).body("status", equalTo("down"));
            if (fault == SimulatedFault.APISERVER_DOWN) {
                assertExit(runCheck("--output", "json"), 2);
            }
            SimulatedClustersResource.cluster("cloud").heal();
        }
        awaitStatus(HealthStatus.HEALTHY);
    }

    @Test
    void metricsShowLinksClustersCertificatesAndOperations() {
        healthyConnectedMesh();
        health.refresh();
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metricValue(metrics, "clustermesh_link_up{from=\"homelab\",to=\"cloud\"}"))
                .isEqualTo(1.0);
        assertThat(metricValue(metrics, "clustermesh_link_up{from=\"cloud\",to=\"homelab\"}"))
                .isEqualTo(1.0);
        assertThat(metricValue(metrics, "clustermesh_cluster_up{cluster=\"cloud\"}"))
                .isEqualTo(1.0);
        assertThat(metricValue(metrics, "clustermesh_health_status")).isEqualTo(0.0);
        assertThat(metrics)
                .contains(
                        "clustermesh_certificate_expiry_seconds{certificate=\"ca.crt\",cluster=\"cloud\",secret=\"clustermesh-apiserver-server-cert\"}");
        assertThat(metrics)
                .contains("clustermesh_operations_total{kind=")
                .contains("clustermesh_operation_duration_seconds_count{");
        assertThat(metrics)
                .doesNotContain(
                        "clustermesh_certificate_expiry_seconds{certificate=\"tls.crt\",cluster=\"homelab\",secret=\"clustermesh-apiserver-admin-cert\"} 8");
    }

    @Test
    void checkRunsAreReportedByOperatorsAndListedNewestFirst() throws Exception {
        healthyConnectedMesh();
        Result check = runCheck("--output", "json");
        assertExit(check, 0);
        String json = check.out;
        viewer().body(json).post("/api/v1/checks").then().statusCode(403);
        operator()
                .body(json)
                .post("/api/v1/checks")
                .then()
                .statusCode(201)
                .body("status", equalTo("healthy"))
                .body("exitCode", equalTo(0));
        operator()
                .body(json.replace("\"exitCode\" : 0", "\"exitCode\" : 7"))
                .post("/api/v1/checks")
                .then()
                .statusCode(400)
                .body("field", equalTo("exitCode"));
        JsonPath runs =
                viewer().get("/api/v1/checks").then().statusCode(200).extract().jsonPath();
        assertThat(runs.getList("status")).containsExactly("healthy");
        assertThat(runs.getString("[0].id")).isNotBlank();
        assertThat(runs.getString("[0].report.clusters[0].name")).isNotBlank();
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metricValue(metrics, "clustermesh_check_last_success_timestamp_seconds"))
                .isGreaterThan(1.7e9);
    }

    private void healthyConnectedMesh() {
        MeshStates.homelabAndCloudConnected();
        awaitStatus(HealthStatus.HEALTHY);
    }

    private void awaitStatus(HealthStatus wanted) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HealthReport last = health.refresh();
        while (last.status() != wanted && System.nanoTime() < until) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            last = health.refresh();
        }
        HealthReport seen = last;
        assertThat(seen.status()).as(() -> json(seen)).isEqualTo(wanted);
    }

    private static String json(Object value) {
        try {
            return HealthJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (Exception e) {
            return String.valueOf(value);
        }
    }

    private static void assertExit(Result result, int code) {
        assertThat(result.exitCode).as(() -> result.out + "\n" + result.err).isEqualTo(code);
    }

    private static Check check(HealthReport report, String cluster, String name) {
        return report.clusters().stream()
                .filter(c -> c.name().equals(cluster))
                .flatMap(c -> c.checks().stream())
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static double metricValue(String metrics, String series) {
        return metrics.lines()
                .filter(l -> l.startsWith(series + " "))
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series + " in /q/metrics"));
    }

    record Result(int exitCode, String out, String err) {}

    static Result runCheck(String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of(
                "--kubeconfig-dir", SimulatedClustersResource.kubeconfigDir().toString()));
        args.addAll(List.of(extra));
        int code = CheckCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
