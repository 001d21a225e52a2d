package io.clustermesh.controller.api;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.support.ClusterObjects;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.clustermesh.controller.support.ThreeSimulatedClustersResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input changes nothing: every row sends one bad request (or drops one bad kubeconfig file)
 * and asserts the problem document naming the field, and that no object in any simulated
 * cluster changed. Kubeconfig rows are not requests: their contract is an entry in
 * {@code GET /api/v1/clusters} {@code errors} while the good clusters stay usable.
 */
@QuarkusTest
@QuarkusTestResource(value = ThreeSimulatedClustersResource.class, restrictToAnnotatedClass = true)
class BadInputMatrixTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final String CONFIG = CiliumNames.CONFIG_MAP;
    private static boolean meshEnabled;
    private static final Map<String, KubernetesClient> CLIENTS = new LinkedHashMap<>();

    /** One bad input: what to prepare, what to send, and the problem it must produce. */
    record Row(Runnable setup, Supplier<Response> request, int status, String type, String field, Runnable teardown) {
        static Row of(Supplier<Response> request, int status, String type, String field) {
            return new Row(() -> {}, request, status, type, field, () -> {});
        }
    }

    /** A kubeconfig file that must be reported in {@code errors}, not crash or change anything. */
    record KubeconfigRow(String file, String content, String message) {}

    @BeforeEach
    void meshOfHomelabAndCloudEnabled() {
        if (meshEnabled) {
            return;
        }
        for (String name : List.of("homelab", "cloud", "sim-03")) {
            CLIENTS.put(name, SimulatedClustersResource.client(name));
        }
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/clusters/cloud/clustermesh").then()).body("state", equalTo("succeeded"));
        meshEnabled = true;
    }

    @AfterAll
    static void closeClients() {
        CLIENTS.values().forEach(KubernetesClient::close);
        CLIENTS.clear();
    }

    static Stream<Arguments> badRequests() {
        String tenMegabytes = "{\"serviceType\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        return Stream.of(
                row(
                        "name not DNS-1123 (upper case, underscore)",
                        Row.of(
                                () -> operator().put("/api/v1/clusters/Cloud_1/clustermesh"),
                                400,
                                "invalid-cluster-name",
                                "cluster")),
                row(
                        "name not DNS-1123 in a body",
                        Row.of(
                                () -> operator()
                                        .body("{\"clusters\":[\"homelab\",\"-cloud\"]}")
                                        .post("/api/v1/mesh/connect"),
                                400,
                                "invalid-cluster-name",
                                "clusters")),
                row(
                        "name of 64 characters",
                        Row.of(
                                () -> operator().put("/api/v1/clusters/" + "a".repeat(64) + "/clustermesh"),
                                400,
                                "invalid-cluster-name",
                                "cluster")),
                row("cluster-id 0 in cilium-config", idRow("0")),
                row("cluster-id 256 in cilium-config", idRow("256")),
                row("cluster-id 600 in cilium-config", idRow("600")),
                row("cluster-id abc in cilium-config", idRow("abc")),
                row(
                        "duplicate cluster ids across the mesh",
                        new Row(
                                () -> setClusterId("cloud", "1"),
                                () -> operator().put("/api/v1/links/homelab/cloud"),
                                409,
                                "duplicate-cluster-id",
                                "clusterId",
                                () -> setClusterId("cloud", "2"))),
                row(
                        "unknown cluster in a path",
                        Row.of(
                                () -> operator().put("/api/v1/clusters/nowhere/clustermesh"),
                                404,
                                "unknown-cluster",
                                "cluster")),
                row(
                        "unknown cluster in a link",
                        Row.of(
                                () -> operator().put("/api/v1/links/homelab/nowhere"),
                                404,
                                "unknown-cluster",
                                "cluster")),
                row(
                        "unknown cluster in a full-mesh body",
                        Row.of(
                                () -> operator()
                                        .body("{\"clusters\":[\"homelab\",\"nowhere\"]}")
                                        .post("/api/v1/mesh/connect"),
                                404,
                                "unknown-cluster",
                                "cluster")),
                row(
                        "link from a cluster to itself",
                        Row.of(() -> operator().put("/api/v1/links/cloud/cloud"), 400, "invalid-input", "b")),
                row(
                        "unlink a cluster from itself",
                        Row.of(() -> operator().delete("/api/v1/links/cloud/cloud"), 400, "invalid-input", "b")),
                row(
                        "full mesh listing a cluster twice",
                        Row.of(
                                () -> operator()
                                        .body("{\"clusters\":[\"cloud\",\"cloud\"]}")
                                        .post("/api/v1/mesh/connect"),
                                400,
                                "invalid-input",
                                "clusters")),
                row(
                        "body of 10 MB",
                        Row.of(
                                () -> operator()
                                        .config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()))
                                        .body(tenMegabytes)
                                        .put("/api/v1/clusters/sim-03/clustermesh"),
                                413,
                                "payload-too-large",
                                "body")),
                row(
                        "unknown JSON field",
                        Row.of(
                                () -> operator().body("{\"bogus\":1}").put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "bogus")),
                row(
                        "wrong JSON type (string for a number)",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodePort\":\"high\"}")
                                        .put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "nodePort")),
                row(
                        "wrong JSON type (string for a list)",
                        Row.of(
                                () -> operator()
                                        .body("{\"clusters\":\"homelab\"}")
                                        .post("/api/v1/mesh/connect"),
                                400,
                                "invalid-input",
                                "clusters")),
                row(
                        "wrong JSON type (number for a string)",
                        Row.of(
                                () -> operator().body("{\"serviceType\":7}").put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "serviceType")),
                row(
                        "body that is not JSON",
                        Row.of(
                                () -> operator()
                                        .body("{serviceType: NodePort")
                                        .put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "body")),
                row(
                        "nodePort outside the NodePort range",
                        Row.of(
                                () -> operator().body("{\"nodePort\":80}").put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "nodePort")),
                row(
                        "path segment '..' encoded",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .put("/api/v1/clusters/..%2Fcloud/clustermesh"),
                                400,
                                "invalid-cluster-name",
                                "cluster")),
                row(
                        "path segment with %2F",
                        Row.of(
                                () -> operator().urlEncodingEnabled(false).put("/api/v1/links/homelab%2Fcloud/sim-03"),
                                400,
                                "invalid-cluster-name",
                                "a")),
                // The HTTP layer removes dot segments before routing: what is left matches no mutation.
                row(
                        "path segment '%2E%2E'",
                        Row.of(
                                () -> operator().urlEncodingEnabled(false).delete("/api/v1/links/homelab/%2E%2E"),
                                405,
                                "method-not-allowed",
                                null)),
                row(
                        "unicode look-alike (Cyrillic o)",
                        Row.of(
                                () -> operator().put("/api/v1/clusters/cl\u043eud/clustermesh"),
                                400,
                                "invalid-cluster-name",
                                "cluster")),
                row(
                        "unicode look-alike (fullwidth letters)",
                        Row.of(
                                () -> operator().put("/api/v1/links/homelab/\uff43\uff4c\uff4f\uff55\uff44"),
                                400,
                                "invalid-cluster-name",
                                "b")),
                row(
                        "dryRun=yes",
                        Row.of(
                                () -> operator().queryParam("dryRun", "yes").put("/api/v1/links/homelab/cloud"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "dryRun=TRUE",
                        Row.of(
                                () -> operator()
                                        .queryParam("dryRun", "TRUE")
                                        .delete("/api/v1/clusters/cloud/clustermesh"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "force=1",
                        Row.of(
                                () -> operator().queryParam("force", "1").delete("/api/v1/clusters/cloud/clustermesh"),
                                400,
                                "invalid-input",
                                "force")),
                row(
                        "dryRun=1 on a full-mesh connect",
                        Row.of(
                                () -> operator()
                                        .queryParam("dryRun", "1")
                                        .body("{\"clusters\":[\"homelab\",\"cloud\"]}")
                                        .post("/api/v1/mesh/connect"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "dryRun=on on an enable",
                        Row.of(
                                () -> operator().queryParam("dryRun", "on").put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "dryRun=maybe on a WireGuard rotation",
                        Row.of(
                                () -> operator()
                                        .queryParam("dryRun", "maybe")
                                        .post("/api/v1/clusters/cloud/wireguard/rotations"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "rotation: maxUnavailable 2",
                        Row.of(
                                () -> operator()
                                        .body("{\"maxUnavailable\":2}")
                                        .post("/api/v1/clusters/cloud/wireguard/rotations"),
                                400,
                                "invalid-input",
                                "maxUnavailable")),
                row(
                        "rotation: a node of another cluster",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodes\":[\"homelab-node-1\"]}")
                                        .post("/api/v1/clusters/cloud/wireguard/rotations"),
                                400,
                                "invalid-input",
                                "nodes")),
                row(
                        "rotation: a node listed twice",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodes\":[\"cloud-node-1\",\"cloud-node-1\"]}")
                                        .post("/api/v1/clusters/cloud/wireguard/rotations"),
                                400,
                                "invalid-input",
                                "nodes")),
                row(
                        "rotation: wrong JSON type (string for a list)",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodes\":7}")
                                        .post("/api/v1/clusters/cloud/wireguard/rotations"),
                                400,
                                "invalid-input",
                                "nodes")),
                row("port-forward endpoint with a scheme", probeEndpointRow("homelab", "https://203.0.113.7:32379")),
                row("port-forward endpoint without a port", probeEndpointRow("homelab", "203.0.113.7")),
                row("port-forward endpoint with a port of 70000", probeEndpointRow("homelab", "203.0.113.7:70000")),
                row("port-forward endpoint with a port of 0", probeEndpointRow("homelab", "203.0.113.7:0")),
                row(
                        "port-forward endpoint with a service name for a port",
                        probeEndpointRow("homelab", "router.example.net:etcd")),
                row("port-forward endpoint IPv6 without brackets", probeEndpointRow("homelab", "2001:db8::7:32379")),
                row("port-forward endpoint with a path", probeEndpointRow("cloud", "203.0.113.7:32379/etcd")),
                row("port-forward endpoint empty", probeEndpointRow("cloud", "")),
                row("port-forward endpoint with a space in the host", probeEndpointRow("cloud", "my router:32379")),
                row("port-forward endpoint for an unknown cluster", probeEndpointRow("nowhere", "203.0.113.7:32379")),
                row(
                        "probes: unknown cluster",
                        Row.of(
                                () -> operator()
                                        .body("{\"clusters\":[\"nowhere\"]}")
                                        .post("/api/v1/reachability/probes"),
                                404,
                                "unknown-cluster",
                                "cluster")),
                row(
                        "probes: wrong JSON type (string for a boolean)",
                        Row.of(
                                () -> operator().body("{\"remote\":\"yes\"}").post("/api/v1/reachability/probes"),
                                400,
                                "invalid-input",
                                "remote")),
                row(
                        "probes: endpoints not an object",
                        Row.of(
                                () -> operator()
                                        .body("{\"endpoints\":\"203.0.113.7:32379\"}")
                                        .post("/api/v1/reachability/probes"),
                                400,
                                "invalid-input",
                                "endpoints")),
                row(
                        "probes: unknown JSON field",
                        Row.of(
                                () -> operator()
                                        .body("{\"endpoint\":{\"homelab\":\"203.0.113.7:32379\"}}")
                                        .post("/api/v1/reachability/probes"),
                                400,
                                "invalid-input",
                                "endpoint")),
                // Strict JSON (issue 15, item 5): no scalar coercion, no truncation, nothing after the value.
                row(
                        "enable: ca as a number",
                        Row.of(
                                () -> operator().body("{\"ca\":1}").put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "ca")),
                row(
                        "enable: nodePort as a string of digits",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodePort\":\"32000\"}")
                                        .put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "nodePort")),
                row(
                        "enable: nodePort with a fraction",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodePort\":32000.9}")
                                        .put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "nodePort")),
                row(
                        "enable: nodePort as a boolean",
                        Row.of(
                                () -> operator().body("{\"nodePort\":true}").put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "nodePort")),
                row(
                        "enable: a second JSON value after the body",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodePort\":32000}{\"ca\":\"own\"}")
                                        .put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "body")),
                row(
                        "enable: text after the body",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodePort\":32000} trailing")
                                        .put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "body")),
                row(
                        "enable: a field given twice",
                        Row.of(
                                () -> operator()
                                        .body("{\"ca\":\"own\",\"ca\":\"shared\"}")
                                        .put("/api/v1/clusters/sim-03/clustermesh"),
                                400,
                                "invalid-input",
                                "body")),
                row(
                        "certificate rotation: ca as a number",
                        Row.of(
                                () -> operator()
                                        .body("{\"ca\":1}")
                                        .post("/api/v1/clusters/homelab/certificates/rotations"),
                                400,
                                "invalid-input",
                                "ca")),
                row(
                        "certificate rotation: ca as the string \"true\"",
                        Row.of(
                                () -> operator()
                                        .body("{\"ca\":\"true\"}")
                                        .post("/api/v1/clusters/homelab/certificates/rotations"),
                                400,
                                "invalid-input",
                                "ca")),
                row(
                        "rotation: nodes empty (omit to mean all)",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodes\":[]}")
                                        .post("/api/v1/clusters/cloud/wireguard/rotations"),
                                400,
                                "invalid-input",
                                "nodes")),
                row(
                        "rotation: maxUnavailable as a string",
                        Row.of(
                                () -> operator()
                                        .body("{\"maxUnavailable\":\"1\"}")
                                        .post("/api/v1/clusters/cloud/wireguard/rotations"),
                                400,
                                "invalid-input",
                                "maxUnavailable")),
                row(
                        "rotation: maxUnavailable 1.5",
                        Row.of(
                                () -> operator()
                                        .body("{\"maxUnavailable\":1.5}")
                                        .post("/api/v1/clusters/cloud/wireguard/rotations"),
                                400,
                                "invalid-input",
                                "maxUnavailable")),
                row(
                        "rotation: one node as a bare string",
                        Row.of(
                                () -> operator()
                                        .body("{\"nodes\":\"cloud-node-1\"}")
                                        .post("/api/v1/clusters/cloud/wireguard/rotations"),
                                400,
                                "invalid-input",
                                "nodes")),
                row(
                        "probes: remote as a number",
                        Row.of(
                                () -> operator().body("{\"remote\":1}").post("/api/v1/reachability/probes"),
                                400,
                                "invalid-input",
                                "remote")),
                row(
                        "probes: remote as the string \"true\"",
                        Row.of(
                                () -> operator().body("{\"remote\":\"true\"}").post("/api/v1/reachability/probes"),
                                400,
                                "invalid-input",
                                "remote")),
                row(
                        "checks: exitCode as a string",
                        Row.of(
                                () -> operator()
                                        .body(
                                                "{\"status\":\"healthy\",\"exitCode\":\"0\",\"startedAt\":\"2026-01-01T00:00:00Z\"}")
                                        .post("/api/v1/checks"),
                                400,
                                "invalid-input",
                                "exitCode")),
                // dryRun is exactly true or false, spelt dryRun, given once (issue 15, item 5): each of these ran for
                // real before.
                row(
                        "?dryRun without a value",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .put("/api/v1/clusters/sim-03/clustermesh?dryRun"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "?dryRun= (empty)",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .put("/api/v1/clusters/sim-03/clustermesh?dryRun="),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "?dryrun=true (lower case)",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .put("/api/v1/clusters/sim-03/clustermesh?dryrun=true"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "?DryRun=true (capitalised)",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .put("/api/v1/links/homelab/cloud?DryRun=true"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "?dryRun=false&dryRun=true",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .put("/api/v1/links/homelab/cloud?dryRun=false&dryRun=true"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "?dryRun=true&dryRun=true",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .delete("/api/v1/clusters/cloud/clustermesh?dryRun=true&dryRun=true"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "?dryrun=true on a full-mesh connect",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .body("{\"clusters\":[\"homelab\",\"cloud\"]}")
                                        .post("/api/v1/mesh/connect?dryrun=true"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "?dryrun=true on probes",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .body("{\"remote\":true}")
                                        .post("/api/v1/reachability/probes?dryrun=true"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "?dryRun on a certificate rotation",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .body("{\"ca\":true}")
                                        .post("/api/v1/clusters/homelab/certificates/rotations?dryRun"),
                                400,
                                "invalid-input",
                                "dryRun")),
                row(
                        "?Force=true on a disable",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .delete("/api/v1/clusters/cloud/clustermesh?Force=true"),
                                400,
                                "invalid-input",
                                "force")),
                row(
                        "an unknown query parameter",
                        Row.of(
                                () -> operator()
                                        .urlEncodingEnabled(false)
                                        .put("/api/v1/clusters/sim-03/clustermesh?bogus=1"),
                                400,
                                "invalid-input",
                                "bogus")),
                row(
                        "dot segments do not bypass authentication",
                        Row.of(
                                () -> given().urlEncodingEnabled(false)
                                        .contentType("application/json")
                                        .put("/q/../api/v1/clusters/cloud/clustermesh"),
                                401,
                                "unauthenticated",
                                null)));
    }

    static Stream<Arguments> badKubeconfigs() {
        return Stream.of(
                kubeconfig(
                        "malformed kubeconfig",
                        new KubeconfigRow(
                                "zz-malformed",
                                "apiVersion: v1\nkind: Config\ncontexts: [ {name: x\n",
                                "not a valid kubeconfig")),
                kubeconfig("empty kubeconfig", new KubeconfigRow("zz-empty", "", "file is empty")),
                kubeconfig(
                        "context pointing at a missing user",
                        new KubeconfigRow("zz-missing-user", """
                        apiVersion: v1
                        kind: Config
                        clusters:
                        - name: ghost
                          cluster: {server: "http://127.0.0.1:9"}
                        contexts:
                        - name: ghost
                          context: {cluster: ghost, user: nobody}
                        users: []
                        """, "user 'nobody' which no kubeconfig defines")),
                kubeconfig(
                        "duplicate context name across files",
                        new KubeconfigRow("zz-duplicate", """
                        apiVersion: v1
                        kind: Config
                        clusters:
                        - name: other-cloud
                          cluster: {server: "http://127.0.0.1:9"}
                        contexts:
                        - name: cloud
                          context: {cluster: other-cloud, user: someone}
                        users:
                        - name: someone
                          user: {token: not-used}
                        """, "context 'cloud' is also defined in")),
                kubeconfig(
                        "context name not DNS-1123",
                        new KubeconfigRow("zz-bad-name", """
                        apiVersion: v1
                        kind: Config
                        clusters:
                        - name: c
                          cluster: {server: "http://127.0.0.1:9"}
                        contexts:
                        - name: My_Cluster
                          context: {cluster: c, user: u}
                        users:
                        - name: u
                          user: {token: not-used}
                        """, "context name is not a DNS-1123 label")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIsAProblemNamingTheFieldAndChangesNothing(Row row) {
        row.setup().run();
        try {
            SimulatedClustersResource.awaitSettled();
            var before = ClusterObjects.snapshot(CLIENTS);
            Response response = row.request().get();
            var after = ClusterObjects.snapshot(CLIENTS);
            response.then()
                    .log()
                    .ifValidationFails()
                    .statusCode(row.status())
                    .contentType("application/problem+json")
                    .body("type", equalTo("/problems/" + row.type()))
                    .body("status", equalTo(row.status()))
                    .body("field", equalTo(row.field()));
            assertThat(after).isEqualTo(before);
        } finally {
            row.teardown().run();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKubeconfigs")
    void badKubeconfigIsReportedInErrorsAndChangesNothing(KubeconfigRow row) throws IOException {
        var file = SimulatedClustersResource.kubeconfigDir().resolve(row.file());
        SimulatedClustersResource.awaitSettled();
        var before = ClusterObjects.snapshot(CLIENTS);
        Files.writeString(file, row.content());
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<Map<String, String>> errors = operator()
                        .get("/api/v1/clusters")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("errors");
                assertThat(errors).anySatisfy(e -> assertThat(e.get("message")).contains(row.message()));
            });
            operator()
                    .get("/api/v1/clusters")
                    .then()
                    .body("clusters.name", org.hamcrest.Matchers.hasItems("homelab", "cloud", "sim-03"));
            operator()
                    .queryParam("dryRun", "true")
                    .put("/api/v1/links/homelab/cloud")
                    .then()
                    .statusCode(200);
            assertThat(ClusterObjects.snapshot(CLIENTS)).isEqualTo(before);
        } finally {
            Files.delete(file);
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> operator().get("/api/v1/clusters").then().body("errors", org.hamcrest.Matchers.empty()));
    }

    /** A dry run of the routes that do not plan (probes, check reports) only validates: no Pod, no stored run, no operation. */
    @org.junit.jupiter.api.Test
    void dryRunProbesAndCheckReportsWriteNothing() {
        SimulatedClustersResource.awaitSettled();
        var before = ClusterObjects.snapshot(CLIENTS);
        int operations = operator()
                .get("/api/v1/operations")
                .then()
                .statusCode(200)
                .extract()
                .path("size()");
        int checks = operator()
                .get("/api/v1/checks")
                .then()
                .statusCode(200)
                .extract()
                .path("size()");
        operator()
                .queryParam("dryRun", "true")
                .body("{\"remote\":true}")
                .post("/api/v1/reachability/probes")
                .then()
                .statusCode(200)
                .body("dryRun", equalTo(true))
                .body("kind", equalTo("reachability-probes"));
        operator()
                .queryParam("dryRun", "true")
                .body("{\"status\":\"healthy\",\"exitCode\":0,\"startedAt\":\"2026-01-01T00:00:00Z\"}")
                .post("/api/v1/checks")
                .then()
                .statusCode(200)
                .body("id", org.hamcrest.Matchers.nullValue());
        assertThat(ClusterObjects.snapshot(CLIENTS)).isEqualTo(before);
        operator().get("/api/v1/operations").then().body("size()", equalTo(operations));
        operator().get("/api/v1/checks").then().body("size()", equalTo(checks));
        // The same check report without dryRun is stored: the assertion above can fail.
        operator()
                .body("{\"status\":\"healthy\",\"exitCode\":0,\"startedAt\":\"2026-01-01T00:00:00Z\"}")
                .post("/api/v1/checks")
                .then()
                .statusCode(201);
        operator().get("/api/v1/checks").then().body("size()", equalTo(checks + 1));
    }

    /** The probes API is where a port-forward endpoint is given through the API ({@code endpoints.<cluster>}). */
    private static Row probeEndpointRow(String cluster, String endpoint) {
        return Row.of(
                () -> operator()
                        .body("{\"endpoints\":{\"" + cluster + "\":\"" + endpoint + "\"}}")
                        .post("/api/v1/reachability/probes"),
                400,
                "invalid-input",
                "endpoints." + cluster);
    }

    private static Row idRow(String id) {
        return new Row(
                () -> setClusterId("sim-03", id),
                () -> operator().put("/api/v1/clusters/sim-03/clustermesh"),
                400,
                "invalid-cluster-id",
                "clusterId",
                () -> setClusterId("sim-03", "3"));
    }

    private static void setClusterId(String cluster, String id) {
        CLIENTS.get(cluster).configMaps().inNamespace(NS).withName(CONFIG).edit(cm -> {
            cm.getData().put(CiliumNames.KEY_CLUSTER_ID, id);
            return cm;
        });
    }

    private static Arguments row(String name, Row row) {
        return Arguments.of(Named.of(name, row));
    }

    private static Arguments kubeconfig(String name, KubeconfigRow row) {
        return Arguments.of(Named.of(name, row));
    }
}
