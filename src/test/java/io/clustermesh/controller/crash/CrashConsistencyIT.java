package io.clustermesh.controller.crash;

import io.clustermesh.controller.api.TokenRegistry;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.sim.SimulatedCluster;
import io.clustermesh.controller.sim.SimulatedWriteFault;
import io.clustermesh.controller.support.ClusterObjects;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/**
 * Crash consistency of the packaged service ({@code target/quarkus-app/quarkus-run.jar}, run as a
 * real process): SIGKILL in the middle of a full-mesh connect, start again, re-run, and the mesh
 * must end exactly as a clean connect leaves it, object by object.
 */
class CrashConsistencyIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String OPERATOR_TOKEN = "it-operator-" + Long.toHexString(System.nanoTime());
    private static final List<String> NAMES = List.of("homelab", "cloud", "sim-03");
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
        assertThat(JAR).as("run through ./mvnw verify: the packaged service is needed").exists();
        Path kubeconfigs = Files.createTempDirectory("crash-it-kubeconfigs-");
        Path state = Files.createTempDirectory("crash-it-state-");
        for (int i = 0; i < NAMES.size(); i++) {
            SimulatedCluster cluster = SimulatedCluster.startIndexed(i);
            Path file = cluster.writeKubeconfig(kubeconfigs);
            clusters.add(cluster);
            clients.put(cluster.name(), new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(null, Files.readString(file), null)).build());
        }
        port = freePort();
        startService(kubeconfigs, state, 1);
        for (String name : NAMES) {
            awaitSucceeded(api().put("/api/v1/clusters/" + name + "/clustermesh").then().statusCode(202).extract().path("id"));
        }
        var enabled = ClusterObjects.snapshot(clients);

        // homelab's three writes go first, then cloud's; the kill lands while cloud's second is in flight.
        cluster("cloud").failWrite(2, SimulatedWriteFault.SLOW, Duration.ofSeconds(5));
        api().body(FULL_MESH).post("/api/v1/mesh/connect").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                clients.get("cloud").secrets().inNamespace(CiliumNames.DEFAULT_NAMESPACE).withName(CiliumNames.KVSTOREMESH_SECRET).get() != null);
        Thread.sleep(300);
        kill();
        var interrupted = ClusterObjects.snapshot(clients);
        assertThat(interrupted.get("homelab")).as("the kill came after homelab's writes").isNotEqualTo(enabled.get("homelab"));
        assertThat(interrupted.get("sim-03")).as("the kill came before sim-03's writes").isEqualTo(enabled.get("sim-03"));

        startService(kubeconfigs, state, 2);
        List<Map<String, Object>> audit = api().get("/api/v1/audit").then().statusCode(200).extract().path("entries");
        assertThat(audit).as("the audit trail survived the kill").anySatisfy(e -> {
            assertThat(e).containsEntry("route", "/api/v1/mesh/connect").containsEntry("status", 202);
        });
        awaitSucceeded(reRun());
        api().queryParam("dryRun", "true").body(FULL_MESH).post("/api/v1/mesh/connect").then().statusCode(200).body("plan", empty());
        var afterCrash = ClusterObjects.snapshot(clients);

        // The reference: the same mesh torn down and connected again without any interruption.
        for (String[] pair : new String[][] {{"homelab", "cloud"}, {"homelab", "sim-03"}, {"cloud", "sim-03"}}) {
            awaitSucceeded(api().delete("/api/v1/links/" + pair[0] + "/" + pair[1]).then().statusCode(202).extract().path("id"));
        }
        awaitSucceeded(api().body(FULL_MESH).post("/api/v1/mesh/connect").then().statusCode(202).extract().path("id"));
        var clean = ClusterObjects.snapshot(clients);
        ClusterObjects.dump("crash-it-after-crash", afterCrash);
        ClusterObjects.dump("crash-it-clean", clean);
        for (String name : NAMES) {
            assertThat(afterCrash.get(name)).as(name + ": objects after crash and re-run vs a clean connect").isEqualTo(clean.get(name));
        }
    }

    /** The re-run after the restart; a cluster not answering in time yet (502) is asked again. */
    private String reRun() {
        var response = api().body(FULL_MESH).post("/api/v1/mesh/connect");
        for (int attempt = 1; attempt < 3 && response.statusCode() == 502; attempt++) {
            response = api().body(FULL_MESH).post("/api/v1/mesh/connect");
        }
        return response.then().statusCode(202).extract().path("id");
    }

    private SimulatedCluster cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private RequestSpecification api() {
        return given().port(port).header("Authorization", "Bearer " + OPERATOR_TOKEN).contentType(ContentType.JSON);
    }

    private void awaitSucceeded(String id) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                !List.of("pending", "running").contains(api().get("/api/v1/operations/" + id).then().extract().<String>path("state")));
        api().get("/api/v1/operations/" + id).then().body("state", equalTo("succeeded"));
    }

    private void startService(Path kubeconfigs, Path state, int run) throws IOException {
        Path log = Path.of("target", "crash-it-service-" + run + ".log");
        service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Dmesh.kubeconfig-dir=" + kubeconfigs,
                "-Dmesh.kubeconfig-paths=",
                "-Dmesh.kubeconfig-rescan-interval=200ms",
                // A cold JVM on a busy CI machine can take seconds for its first calls.
                "-Dmesh.client.per-cluster-deadline=30s",
                "-Dmesh.state-dir=" + state,
                "-Dmesh.auth.tokens.it-operator.sha256=" + TokenRegistry.sha256Hex(OPERATOR_TOKEN),
                "-Dmesh.auth.tokens.it-operator.role=operator",
                "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(service.isAlive()).as("service run " + run + " exited; see " + log).isTrue();
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
