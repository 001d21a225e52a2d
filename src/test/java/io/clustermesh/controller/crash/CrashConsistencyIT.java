package io.clustermesh.controller.crash;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.api.TokenRegistry;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.sim.SimulatedCluster;
import io.clustermesh.controller.sim.SimulatedWriteFault;
import io.clustermesh.controller.support.ClusterObjects;
import io.clustermesh.controller.support.WireGuardObservations;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash consistency of the packaged service ({@code target/quarkus-app/quarkus-run.jar}, run as a
 * real process): SIGKILL in the middle of a full-mesh connect, start again, re-run, and the mesh
 * must end exactly as a clean connect leaves it, object by object; SIGKILL while a node is in the
 * middle of a WireGuard rotation, and no two agents of the cluster are ever down at once while the
 * service is dead and restarting, and the re-run finishes the rotation changing nothing else.
 */
class CrashConsistencyIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String OPERATOR_TOKEN = "it-operator-" + Long.toHexString(System.nanoTime());
    private static final List<String> NAMES = List.of("homelab", "cloud", "sim-03");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String FULL_MESH = "{\"clusters\":[\"homelab\",\"cloud\",\"sim-03\"]}";

    private final List<SimulatedCluster> clusters = new ArrayList<>();
    private final Map<String, KubernetesClient> clients = new LinkedHashMap<>();
    private Process service;
    private int port;

    @AfterEach
    void stopEverything() {
        if (service != null) {
            service.destroyForcibly();
        }
        clients.values().forEach(KubernetesClient::close);
        clusters.forEach(SimulatedCluster::close);
    }

    @Test
    void killedInTheMiddleOfAFullMeshConnectConvergesOnReRunToTheCleanResult() throws Exception {
        assertThat(JAR)
                .as("run through ./mvnw verify: the packaged service is needed")
                .exists();
        Path kubeconfigs = Files.createTempDirectory("crash-it-kubeconfigs-");
        Path state = Files.createTempDirectory("crash-it-state-");
        startClusters(NAMES.size(), kubeconfigs);
        port = freePort();
        startService(kubeconfigs, state, 1);
        for (String name : NAMES) {
            awaitSucceeded(api().put("/api/v1/clusters/" + name + "/clustermesh")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id"));
        }
        var enabled = ClusterObjects.snapshot(clients);

        // homelab's three writes go first, then cloud's; the kill lands while cloud's second is in flight.
        cluster("cloud").failWrite(2, SimulatedWriteFault.SLOW, Duration.ofSeconds(5));
        String connect = api().body(FULL_MESH)
                .post("/api/v1/mesh/connect")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> clients.get("cloud")
                                .secrets()
                                .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                                .withName(CiliumNames.KVSTOREMESH_SECRET)
                                .get()
                        != null);
        Thread.sleep(300);
        // What the operation says it is doing at the moment of the kill (cloud's slow write holds it there for 5 s).
        List<Map<String, Object>> stepsAtKill = api().get("/api/v1/operations/" + connect)
                .then()
                .statusCode(200)
                .body("state", equalTo("running"))
                .extract()
                .path("steps");
        List<String> runningAtKill = stepsAtKill.stream()
                .filter(s -> "running".equals(s.get("state")))
                .map(s -> (String) s.get("name"))
                .toList();
        List<String> doneAtKill = stepsAtKill.stream()
                .filter(s -> "succeeded".equals(s.get("state")))
                .map(s -> (String) s.get("name"))
                .toList();
        assertThat(runningAtKill)
                .as("a step is in flight when the kill lands: " + stepsAtKill)
                .isNotEmpty();
        assertThat(doneAtKill)
                .as("homelab's writes are done when the kill lands")
                .isNotEmpty();
        kill();
        var interrupted = ClusterObjects.snapshot(clients);
        assertThat(interrupted.get("homelab"))
                .as("the kill came after homelab's writes")
                .isNotEqualTo(enabled.get("homelab"));
        assertThat(interrupted.get("sim-03"))
                .as("the kill came before sim-03's writes")
                .isEqualTo(enabled.get("sim-03"));

        startService(kubeconfigs, state, 2);
        assertKilledOperationReadsInterrupted(
                connect,
                runningAtKill,
                doneAtKill,
                "resume with POST /api/v1/mesh/connect {\"clusters\": [\"homelab\", \"cloud\", \"sim-03\"]}");
        List<Map<String, Object>> audit =
                api().get("/api/v1/audit").then().statusCode(200).extract().path("entries");
        assertThat(audit).as("the audit trail survived the kill").anySatisfy(e -> {
            assertThat(e).containsEntry("route", "/api/v1/mesh/connect").containsEntry("status", 202);
        });
        awaitSucceeded(reRun());
        api().queryParam("dryRun", "true")
                .body(FULL_MESH)
                .post("/api/v1/mesh/connect")
                .then()
                .statusCode(200)
                .body("plan", empty());
        var afterCrash = ClusterObjects.settledSnapshot(clients);

        // The reference: the same mesh torn down and connected again without any interruption.
        for (String[] pair : new String[][] {{"homelab", "cloud"}, {"homelab", "sim-03"}, {"cloud", "sim-03"}}) {
            awaitSucceeded(api().delete("/api/v1/links/" + pair[0] + "/" + pair[1])
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id"));
        }
        awaitSucceeded(api().body(FULL_MESH)
                .post("/api/v1/mesh/connect")
                .then()
                .statusCode(202)
                .extract()
                .path("id"));
        var clean = ClusterObjects.settledSnapshot(clients);
        ClusterObjects.dump("crash-it-after-crash", afterCrash);
        ClusterObjects.dump("crash-it-clean", clean);
        for (String name : NAMES) {
            assertThat(afterCrash.get(name))
                    .as(name + ": objects after crash and re-run vs a clean connect")
                    .isEqualTo(clean.get(name));
        }
    }

    @Test
    void killedInTheMiddleOfAWireGuardRotationNeverHasTwoNodesDownAndConvergesOnReRun() throws Exception {
        assertThat(JAR)
                .as("run through ./mvnw verify: the packaged service is needed")
                .exists();
        Path kubeconfigs = Files.createTempDirectory("crash-it-rotation-kubeconfigs-");
        Path state = Files.createTempDirectory("crash-it-rotation-state-");
        startClusters(2, kubeconfigs);
        port = freePort();
        startService(kubeconfigs, state, 3);
        for (String name : List.of("homelab", "cloud")) {
            awaitSucceeded(api().put("/api/v1/clusters/" + name + "/clustermesh")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id"));
        }
        awaitSucceeded(api().put("/api/v1/links/homelab/cloud")
                .then()
                .statusCode(202)
                .extract()
                .path("id"));
        KubernetesClient cloud = clients.get("cloud");
        var before = ClusterObjects.snapshot(clients);
        Map<String, String> keysBefore = WireGuardObservations.publishedKeys(cloud);
        assertThat(keysBefore).hasSizeGreaterThanOrEqualTo(2);
        String first = keysBefore.keySet().iterator().next();

        try (var agents = WireGuardObservations.Availability.watch(cloud)) {
            api().post("/api/v1/clusters/cloud/wireguard/rotations").then().statusCode(202);
            // Mid-rotation: the state names the first node and its agent has been taken down.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> first.equals(WireGuardObservations.nodeInProgress(cloud))
                            && WireGuardObservations.agents(cloud).stream()
                                    .noneMatch(p -> first.equals(p.getSpec().getNodeName())));
            kill();
            assertThat(WireGuardObservations.nodeInProgress(cloud))
                    .as("the rotation state survives the kill")
                    .isEqualTo(first);

            startService(kubeconfigs, state, 4);
            String id = retryWhileStarting(() -> api().post("/api/v1/clusters/cloud/wireguard/rotations"));
            awaitSucceeded(id);
            List<String> steps =
                    api().get("/api/v1/operations/" + id).then().extract().path("steps.name");
            assertThat(steps)
                    .as("the re-run resumes at the interrupted node")
                    .first()
                    .asString()
                    .endsWith(first);

            Map<String, String> keysAfter = WireGuardObservations.publishedKeys(cloud);
            assertThat(keysAfter.keySet()).isEqualTo(keysBefore.keySet());
            List<String> mesh = new ArrayList<>(keysAfter.values());
            mesh.addAll(
                    WireGuardObservations.publishedKeys(clients.get("homelab")).values());
            assertThat(mesh).as("every key unique in the mesh").doesNotHaveDuplicates();
            for (var node : keysAfter.entrySet()) {
                assertThat(node.getValue())
                        .as(node.getKey() + ": a new, valid key")
                        .isNotEqualTo(keysBefore.get(node.getKey()))
                        .matches(WireGuardObservations::valid);
                for (String observer : List.of("homelab", "cloud")) {
                    for (var agent : WireGuardObservations.agents(clients.get(observer))) {
                        if (!agent.getSpec().getNodeName().equals(node.getKey())) {
                            assertThat(WireGuardObservations.peerKeys(clients.get(observer), agent))
                                    .as(observer + "/" + agent.getSpec().getNodeName() + " lists the new key of "
                                            + node.getKey())
                                    .contains(node.getValue());
                        }
                    }
                }
            }
            assertThat(WireGuardObservations.rotationState(cloud).has("inProgress"))
                    .as("the rotation ConfigMap says finished")
                    .isFalse();
            assertThat(agents.observations())
                    .as("agent pods observed through the kill and restart")
                    .isGreaterThan(20);
            assertThat(agents.worst())
                    .as("most nodes of cloud without a Ready agent at once, over " + agents.observations()
                            + " observations")
                    .hasSize(1);
        }
        var after = ClusterObjects.snapshot(clients);
        ClusterObjects.dump("crash-it-rotation-before", before);
        ClusterObjects.dump("crash-it-rotation-after", after);
        for (String name : List.of("homelab", "cloud")) {
            assertThat(withoutRotationChanges(after.get(name)))
                    .as(name + ": objects after the interrupted and resumed rotation")
                    .isEqualTo(withoutRotationChanges(before.get(name)));
        }
        Map<String, Long> agentsPerNode = WireGuardObservations.agents(cloud).stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        p -> p.getSpec().getNodeName(),
                        java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
        assertThat(agentsPerNode.keySet()).isEqualTo(keysBefore.keySet());
        assertThat(agentsPerNode.values()).containsOnly(1L);
    }

    /**
     * A rotation legitimately changes three things: each CiliumNode's WireGuard public-key
     * annotation, the agent pods (recreated under new names, one per node: checked apart), and our
     * rotation state ConfigMap. Everything else must be byte-identical.
     */
    private static Map<String, String> withoutRotationChanges(Map<String, String> objects) {
        Map<String, String> kept = new java.util.TreeMap<>();
        objects.forEach((key, json) -> {
            if (key.startsWith("Pod " + CiliumNames.DEFAULT_NAMESPACE + "/cilium-")
                    && json.contains("\"" + CiliumNames.AGENT_SELECTOR_KEY + "\":\"" + CiliumNames.AGENT_SELECTOR_VALUE
                            + "\"")) {
                return;
            }
            if (key.equals(
                    "ConfigMap " + CiliumNames.DEFAULT_NAMESPACE + "/" + WireGuardObservations.ROTATION_CONFIG_MAP)) {
                return;
            }
            if (key.startsWith("CiliumNode ")) {
                try {
                    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
                    var annotations = tree.path("metadata").path("annotations");
                    if (annotations instanceof com.fasterxml.jackson.databind.node.ObjectNode a) {
                        a.remove(CiliumNames.WG_PUBKEY_ANNOTATION);
                    }
                    json = JSON.writeValueAsString(tree);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            kept.put(key, json);
        });
        return kept;
    }

    /**
     * After the restart the killed operation is neither lost (404) nor still "running": it reads
     * {@code interrupted}, its step in flight is marked interrupted, the steps it finished stay
     * succeeded, and its error names that step and the request that resumes it.
     */
    private void assertKilledOperationReadsInterrupted(
            String id, List<String> runningAtKill, List<String> doneAtKill, String resume) {
        var operation = api().get("/api/v1/operations/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(operation.getString("state")).isEqualTo("interrupted");
        assertThat(operation.getString("finishedAt")).isNotNull();
        List<Map<String, Object>> steps = operation.getList("steps");
        assertThat(steps.stream()
                        .filter(s -> "interrupted".equals(s.get("state")))
                        .map(s -> s.get("name"))
                        .toList())
                .as("the steps in flight at the kill")
                .isEqualTo(runningAtKill);
        assertThat(steps.stream()
                        .filter(s -> "succeeded".equals(s.get("state")))
                        .map(s -> s.get("name"))
                        .toList())
                .as("the steps finished before the kill")
                .containsAll(doneAtKill);
        assertThat(steps).as("nothing is left running").noneMatch(s -> "running".equals(s.get("state")));
        assertThat(operation.getString("error"))
                .contains("at step '" + runningAtKill.get(0) + "'")
                .contains(resume);
        List<Map<String, Object>> listed =
                api().get("/api/v1/operations").then().statusCode(200).extract().path("$");
        assertThat(listed)
                .as("listed as interrupted")
                .anySatisfy(o -> assertThat(o).containsEntry("id", id).containsEntry("state", "interrupted"));
    }

    /** The re-run after the restart; a cluster not answering in time yet (502) is asked again. */
    private String reRun() {
        return retryWhileStarting(() -> api().body(FULL_MESH).post("/api/v1/mesh/connect"));
    }

    private static String retryWhileStarting(java.util.function.Supplier<io.restassured.response.Response> request) {
        var response = request.get();
        for (int attempt = 1; attempt < 3 && response.statusCode() == 502; attempt++) {
            response = request.get();
        }
        return response.then().statusCode(202).extract().path("id");
    }

    /** The first {@code count} demo clusters (homelab, cloud, sim-03…), each with its kubeconfig and a client. */
    private void startClusters(int count, Path kubeconfigs) throws IOException {
        for (int i = 0; i < count; i++) {
            SimulatedCluster cluster = SimulatedCluster.startIndexed(i);
            Path file = cluster.writeKubeconfig(kubeconfigs);
            clusters.add(cluster);
            clients.put(
                    cluster.name(),
                    new KubernetesClientBuilder()
                            .withConfig(Config.fromKubeconfig(null, Files.readString(file), null))
                            .build());
        }
    }

    private SimulatedCluster cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private RequestSpecification api() {
        return given().port(port)
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .contentType(ContentType.JSON);
    }

    private void awaitSucceeded(String id) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !List.of("pending", "running")
                        .contains(api().get("/api/v1/operations/" + id)
                                .then()
                                .extract()
                                .<String>path("state")));
        api().get("/api/v1/operations/" + id).then().body("state", equalTo("succeeded"));
    }

    private void startService(Path kubeconfigs, Path state, int run) throws IOException {
        Path log = Path.of("target", "crash-it-service-" + run + ".log");
        service = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dquarkus.http.port=" + port,
                        "-Dmesh.kubeconfig-dir=" + kubeconfigs,
                        "-Dmesh.kubeconfig-paths=",
                        "-Dmesh.kubeconfig-rescan-interval=200ms",
                        // A cold JVM on a busy CI machine can take seconds for its first calls.
                        "-Dmesh.client.per-cluster-deadline=30s",
                        "-Dmesh.state-dir=" + state,
                        // A rotation polls its node and peers; the simulated agents restart in 1.5 s.
                        "-Dmesh.rotation.wireguard.poll-interval=200ms",
                        "-Dmesh.rotation.wireguard.node-timeout=30s",
                        "-Dmesh.rotation.wireguard.peer-timeout=30s",
                        "-Dmesh.auth.tokens.it-operator.sha256=" + TokenRegistry.sha256Hex(OPERATOR_TOKEN),
                        "-Dmesh.auth.tokens.it-operator.role=operator",
                        "-jar",
                        JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(service.isAlive())
                            .as("service run " + run + " exited; see " + log)
                            .isTrue();
                    try {
                        return given().port(port).get("/q/health/ready").statusCode() == 200;
                    } catch (Exception notYet) {
                        return false;
                    }
                });
    }

    private void kill() throws InterruptedException {
        // destroyForcibly() is SIGKILL on Linux: no shutdown hook, no graceful stop.
        service.destroyForcibly();
        assertThat(service.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).isEqualTo(137);
        service = null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
