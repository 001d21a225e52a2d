package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.mesh.MeshEngineTest.decode;
import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The engine on a mesh of five: whole-mesh validation, full-mesh connect, status under faults, partial teardown. */
@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.Five.class, restrictToAnnotatedClass = true)
class FiveClusterMeshTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final List<String> NAMES = List.of("homelab", "cloud", "sim-03", "sim-04", "sim-05");
    private static final String FULL_MESH =
            "{\"clusters\": [\"homelab\", \"cloud\", \"sim-03\", \"sim-04\", \"sim-05\"]}";

    @Test
    void enableAllFiveSharingOneCa() {
        List<String> ids = new ArrayList<>();
        for (String name : NAMES) {
            // cloud has a cloud load balancer; the others use the default NodePort.
            String body = name.equals("cloud") ? "{\"serviceType\":\"LoadBalancer\"}" : "{}";
            ids.add(operator()
                    .body(body)
                    .put("/api/v1/clusters/" + name + "/clustermesh")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id"));
        }
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !List.of("pending", "running")
                            .contains(operator()
                                    .get("/api/v1/operations/" + id)
                                    .then()
                                    .extract()
                                    .<String>path("state")));
            operator().get("/api/v1/operations/" + id).then().body("state", equalTo("succeeded"));
        }
        String ca = null;
        for (String name : NAMES) {
            try (var client = SimulatedClustersResource.client(name)) {
                String remoteCa = decode(
                        client.secrets()
                                .inNamespace(NS)
                                .withName(CiliumNames.REMOTE_CERT_SECRET)
                                .get(),
                        "ca.crt");
                assertThat(ca == null || ca.equals(remoteCa))
                        .as("shared CA in " + name)
                        .isTrue();
                ca = remoteCa;
            }
        }
        operator()
                .get("/api/v1/clusters/sim-03")
                .then()
                .statusCode(200)
                .body("mesh.enabled", equalTo(true))
                .body("mesh.apiServerReady", equalTo(true))
                .body("mesh.serviceType", equalTo("NodePort"))
                .body("mesh.endpoints", hasSize(1))
                .body(
                        "mesh.certificates.find { it.secret == 'clustermesh-apiserver-server-cert' && it.key == 'tls.crt' }.daysLeft",
                        org.hamcrest.Matchers.greaterThan(300));
    }

    @Test
    void identitiesMustBeUniqueAcrossTheWholeMeshNotOnlyThePair() {
        allFiveEnabled();
        finished(operator().put("/api/v1/links/sim-03/sim-04").then()).body("state", equalTo("succeeded"));
        Map<String, Map<String, String>> before = meshSecrets();

        // sim-03 is not part of this request, but sim-04 already reaches it: two remotes with id 3 would break sim-04.
        refusedWhile(
                "sim-05",
                CiliumNames.KEY_CLUSTER_ID,
                "3",
                () -> operator().put("/api/v1/links/sim-04/sim-05").then(),
                409,
                "/problems/duplicate-cluster-id",
                "clusterId");
        refusedWhile(
                "sim-05",
                CiliumNames.KEY_CLUSTER_NAME,
                "sim-03",
                () -> operator().put("/api/v1/links/sim-04/sim-05").then(),
                409,
                "/problems/duplicate-cluster-name",
                "clusterName");
        refusedWhile(
                "sim-05",
                CiliumNames.KEY_MAX_CONNECTED_CLUSTERS,
                "511",
                () -> operator().put("/api/v1/links/homelab/sim-05").then(),
                409,
                "/problems/mismatched-max-connected-clusters",
                "maxConnectedClusters");
        for (String badId : List.of("0", "256")) {
            refusedWhile(
                    "sim-05",
                    CiliumNames.KEY_CLUSTER_ID,
                    badId,
                    () -> operator()
                            .body(FULL_MESH)
                            .post("/api/v1/mesh/connect")
                            .then(),
                    400,
                    "/problems/invalid-cluster-id",
                    "clusterId");
        }
        assertThat(meshSecrets()).isEqualTo(before);
    }

    @Test
    void fullMeshWritesEveryRemoteInEveryClusterAndIsIdempotent() {
        allFiveEnabled();
        // Two pairs missing at least, so the full-mesh connect has something to write.
        MeshStates.disconnected("sim-03", "sim-04");
        MeshStates.disconnected("homelab", "sim-05");
        List<Map<String, String>> plan = operator()
                .queryParam("dryRun", "true")
                .body(FULL_MESH)
                .post("/api/v1/mesh/connect")
                .then()
                .statusCode(200)
                .extract()
                .path("plan");
        List<String> steps = finished(
                        operator().body(FULL_MESH).post("/api/v1/mesh/connect").then())
                .body("state", equalTo("succeeded"))
                .extract()
                .path("steps.name");
        assertThat(plan).isNotEmpty();
        assertThat(steps)
                .containsExactlyElementsOf(plan.stream()
                        .map(c -> c.get("cluster") + ": " + c.get("action") + " " + c.get("kind") + " "
                                + c.get("namespace") + "/" + c.get("name"))
                        .toList());
        operator()
                .queryParam("dryRun", "true")
                .body(FULL_MESH)
                .post("/api/v1/mesh/connect")
                .then()
                .statusCode(200)
                .body("plan", empty());

        for (String name : NAMES) {
            List<String> remotes = NAMES.stream().filter(n -> !n.equals(name)).toList();
            try (var client = SimulatedClustersResource.client(name)) {
                Secret agents = client.secrets()
                        .inNamespace(NS)
                        .withName(CiliumNames.CLUSTERMESH_SECRET)
                        .get();
                assertThat(agents.getData()).containsOnlyKeys(remotes);
                for (String remote : remotes) {
                    assertThat(decode(agents, remote)).isEqualTo("""
                            endpoints:
                            - https://clustermesh-apiserver.kube-system.svc:2379
                            trusted-ca-file: /var/lib/cilium/clustermesh/local-etcd-client-ca.crt
                            key-file: /var/lib/cilium/clustermesh/local-etcd-client.key
                            cert-file: /var/lib/cilium/clustermesh/local-etcd-client.crt""");
                }
                Secret kvstoremesh = client.secrets()
                        .inNamespace(NS)
                        .withName(CiliumNames.KVSTOREMESH_SECRET)
                        .get();
                assertThat(kvstoremesh.getData()).containsKeys(remotes.toArray(String[]::new));
                for (String remote : remotes) {
                    String port = remote.equals("cloud") ? "2379" : "32379";
                    assertThat(decode(kvstoremesh, remote))
                            .startsWith("endpoints:\n- https://" + remote + ".mesh.cilium.io:" + port + "\n");
                }
                List<HostAlias> aliases = client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName(CiliumNames.APISERVER)
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getHostAliases();
                assertThat(aliases)
                        .flatExtracting(HostAlias::getHostnames)
                        .containsExactlyInAnyOrderElementsOf(
                                remotes.stream().map(r -> r + ".mesh.cilium.io").toList());
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                operator().get("/api/v1/links").then().extract().<List<String>>path("status"))
                        .hasSize(10)
                        .containsOnly("healthy"));
        // The host aliases just rolled the clustermesh-apiserver pods, so readiness may take a moment to come back.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> operator()
                        .get("/api/v1/links/cloud/homelab")
                        .then()
                        .statusCode(200)
                        .body(
                                "clusters.find { it.name == 'homelab' }.mesh.endpoints",
                                equalTo(List.of("198.51.100.200:32379")))
                        .body(
                                "clusters.find { it.name == 'cloud' }.mesh.endpoints",
                                equalTo(List.of("203.0.113.10:2379")))
                        .body("clusters.find { it.name == 'cloud' }.mesh.apiServerReady", equalTo(true)));
    }

    @Test
    void aDeadClusterIsReportedAndTheOthersStayCorrect() {
        healthyFullMesh();
        SimulatedClustersResource.cluster("sim-05").inject(SimulatedFault.BLACKHOLE);
        try {
            List<Map<String, Object>> links = operator()
                    .get("/api/v1/links")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("");
            for (Map<String, Object> link : links) {
                boolean touchesDead =
                        link.get("a").equals("sim-05") || link.get("b").equals("sim-05");
                @SuppressWarnings("unchecked")
                var directions = (List<Map<String, Object>>) link.get("directions");
                if (!touchesDead) {
                    assertThat(link.get("status"))
                            .as(link.get("a") + "-" + link.get("b"))
                            .isEqualTo("healthy");
                    continue;
                }
                var fromDead = directions.stream()
                        .filter(d -> d.get("from").equals("sim-05"))
                        .findFirst()
                        .orElseThrow();
                assertThat(fromDead.get("status")).isEqualTo("unknown");
                assertThat((String) fromDead.get("reason")).contains("sim-05 did not answer");
            }
            operator().get("/api/v1/clusters/sim-05").then().statusCode(200).body("reachable", equalTo(false));
        } finally {
            SimulatedClustersResource.cluster("sim-05").heal();
        }
    }

    @Test
    void anApiServerThatIsNotReadyIsNamedAndReEnableRepairsIt() {
        healthyFullMesh();
        try (var client = SimulatedClustersResource.client("sim-04")) {
            client.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .scale(0);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                operator().get("/api/v1/clusters/sim-04").then().body("mesh.apiServerReady", equalTo(false));
                operator()
                        .get("/api/v1/links/sim-03/sim-04")
                        .then()
                        .body("status", org.hamcrest.Matchers.not("healthy"))
                        .body("directions.find { it.from == 'sim-04' }.status", equalTo("not-ready"))
                        .body("directions.find { it.from == 'sim-04' }.hint", org.hamcrest.Matchers.notNullValue());
            });
        }
        finished(operator().put("/api/v1/clusters/sim-04/clustermesh").then()).body("state", equalTo("succeeded"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        operator().get("/api/v1/links/sim-03/sim-04").then().body("status", equalTo("healthy")));
    }

    @Test
    void disconnectingOnePairAndRetiringOneClusterLeaveTheRestIntact() {
        healthyFullMesh();
        finished(operator().delete("/api/v1/links/sim-03/sim-04").then()).body("state", equalTo("succeeded"));
        operator()
                .queryParam("dryRun", "true")
                .delete("/api/v1/links/sim-03/sim-04")
                .then()
                .statusCode(200)
                .body("plan", empty());
        try (var sim03 = SimulatedClustersResource.client("sim-03")) {
            assertThat(sim03.secrets()
                            .inNamespace(NS)
                            .withName(CiliumNames.CLUSTERMESH_SECRET)
                            .get()
                            .getData())
                    .containsOnlyKeys("homelab", "cloud", "sim-05");
        }

        operator()
                .delete("/api/v1/clusters/sim-05/clustermesh")
                .then()
                .statusCode(409)
                .body("type", equalTo("/problems/links-remain"));
        for (String other : List.of("homelab", "cloud", "sim-03", "sim-04")) {
            finished(operator().delete("/api/v1/links/" + other + "/sim-05").then())
                    .body("state", equalTo("succeeded"));
        }
        finished(operator().delete("/api/v1/clusters/sim-05/clustermesh").then())
                .body("state", equalTo("succeeded"));
        try (var sim05 = SimulatedClustersResource.client("sim-05")) {
            assertThat(sim05.apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName(CiliumNames.APISERVER)
                            .get())
                    .isNull();
            assertThat(sim05.secrets()
                            .inNamespace(NS)
                            .withName(CiliumNames.SERVER_CERT_SECRET)
                            .get())
                    .isNull();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> pairs =
                    operator().get("/api/v1/links").then().extract().path("collect { it.a + '-' + it.b }");
            assertThat(pairs)
                    .containsExactlyInAnyOrder(
                            "cloud-homelab", "cloud-sim-03", "cloud-sim-04", "homelab-sim-03", "homelab-sim-04");
            assertThat(operator().get("/api/v1/links").then().extract().<List<String>>path("status"))
                    .containsOnly("healthy");
        });
    }

    /** ClusterMesh on in all five: cloud behind a load balancer, the others on the default NodePort. */
    private static void allFiveEnabled() {
        MeshStates.healed();
        for (String name : NAMES) {
            MeshStates.enabled(name, name.equals("cloud") ? MeshStates.LOAD_BALANCER : "{}");
        }
    }

    /** All five enabled and connected to each other, every one of the ten links healthy. */
    private static void healthyFullMesh() {
        allFiveEnabled();
        finished(operator().body(FULL_MESH).post("/api/v1/mesh/connect").then()).body("state", equalTo("succeeded"));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(
                                operator().get("/api/v1/links").then().extract().<List<String>>path("status"))
                        .hasSize(10)
                        .containsOnly("healthy"));
    }

    /** Sets one cilium-config key on a cluster, expects the request to be refused as given, then restores the key. */
    private static void refusedWhile(
            String cluster,
            String key,
            String value,
            java.util.function.Supplier<ValidatableResponse> request,
            int status,
            String type,
            String field) {
        try (var client = SimulatedClustersResource.client(cluster)) {
            String original = client.configMaps()
                    .inNamespace(NS)
                    .withName(CiliumNames.CONFIG_MAP)
                    .get()
                    .getData()
                    .get(key);
            editConfig(client, data -> data.put(key, value));
            try {
                request.get()
                        .statusCode(status)
                        .contentType("application/problem+json")
                        .body("type", equalTo(type))
                        .body("field", equalTo(field));
            } finally {
                editConfig(client, data -> {
                    if (original == null) {
                        data.remove(key);
                    } else {
                        data.put(key, original);
                    }
                });
            }
        }
    }

    private static void editConfig(KubernetesClient client, Consumer<Map<String, String>> change) {
        client.configMaps().inNamespace(NS).withName(CiliumNames.CONFIG_MAP).edit(cm -> {
            change.accept(cm.getData());
            return cm;
        });
    }

    /** Every Secret's data in every cluster, to prove a refused request wrote nothing. */
    private static Map<String, Map<String, String>> meshSecrets() {
        Map<String, Map<String, String>> all = new TreeMap<>();
        for (String name : NAMES) {
            try (var client = SimulatedClustersResource.client(name)) {
                client.secrets()
                        .inNamespace(NS)
                        .list()
                        .getItems()
                        .forEach(s -> all.put(
                                name + "/" + s.getMetadata().getName() + "@"
                                        + s.getMetadata().getResourceVersion(),
                                s.getData()));
            }
        }
        return all;
    }
}
