package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.sim.SimulatedWriteFault;
import io.clustermesh.controller.support.ClusterObjects;
import io.clustermesh.controller.support.FastClientTimeoutsResource;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.clustermesh.controller.support.ThreeSimulatedClustersResource;
import io.clustermesh.controller.support.WireGuardObservations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fault matrix for enable and connect: an API server answering 500, 409 or nothing at all in the
 * middle of a mutation, and a kubeconfig disappearing mid-operation. Every case asserts the
 * operation's reason, that the clusters not yet written to are untouched (so an existing link is
 * never broken), and that re-running converges (the dry run then plans nothing); an agent's exec
 * failing in the middle of a WireGuard rotation stops it at that node, never with two nodes down,
 * and the re-run finishes it. Then the
 * concurrency rules: a second mutation on a busy cluster is refused naming the running operation,
 * and readers keep being answered while it runs.
 */
@QuarkusTest
@QuarkusTestResource(value = ThreeSimulatedClustersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FastClientTimeoutsResource.class, restrictToAnnotatedClass = true)
class FaultMatrixTest {
    private static final Duration HANG = Duration.ofSeconds(9);
    private static final Duration SLOW = Duration.ofMillis(2500);
    private static final Map<String, KubernetesClient> CLIENTS = new LinkedHashMap<>();

    private static KubernetesClient client(String name) {
        return CLIENTS.computeIfAbsent(name, SimulatedClustersResource::client);
    }

    @AfterAll
    static void closeClients() {
        CLIENTS.values().forEach(KubernetesClient::close);
        CLIENTS.clear();
    }

    @Test
    void anExistingLinkBetweenHomelabAndCloud() {
        existingLink();
        assertConverged("/api/v1/links/homelab/cloud", null, "cloud");
    }

    @Test
    void enableInterruptedByApiServerFaultsFailsPreciselyAndReRunConverges() {
        existingLink();
        MeshStates.disabled("sim-03");
        var others = settledSnapshot(Map.of("homelab", client("homelab"), "cloud", client("cloud")));
        expectFailure(
                () -> arm("sim-03", 2, SimulatedWriteFault.ERROR_500),
                "/api/v1/clusters/sim-03/clustermesh",
                "PUT",
                "cluster sim-03: Kubernetes API call failed (HTTP 500");
        expectFailure(
                () -> arm("sim-03", 1, SimulatedWriteFault.CONFLICT_409),
                "/api/v1/clusters/sim-03/clustermesh",
                "PUT",
                "cluster sim-03: the object was changed by someone else meanwhile; re-run to converge");
        expectFailure(
                () -> arm("sim-03", 1, SimulatedWriteFault.HANG),
                "/api/v1/clusters/sim-03/clustermesh",
                "PUT",
                "cluster sim-03: Kubernetes API call timed out");
        assertThat(settledSnapshot(Map.of("homelab", client("homelab"), "cloud", client("cloud"))))
                .isEqualTo(others);

        finished(operator().put("/api/v1/clusters/sim-03/clustermesh").then()).body("state", equalTo("succeeded"));
        operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/clusters/sim-03/clustermesh")
                .then()
                .statusCode(200)
                .body("plan", empty());
    }

    @Test
    void connectInterruptedBetweenTheTwoSidesLeavesTheExistingLinkAloneAndReRunConverges() {
        existingLink();
        MeshStates.enabled("sim-03", "{}");
        MeshStates.disconnected("sim-03", "cloud");
        var homelabBefore = settledSnapshot(client("homelab"));
        for (SimulatedWriteFault fault :
                List.of(SimulatedWriteFault.ERROR_500, SimulatedWriteFault.CONFLICT_409, SimulatedWriteFault.HANG)) {
            var cloudBefore = settledSnapshot(client("cloud"));
            String reason = switch (fault) {
                case ERROR_500 -> "cluster cloud: Kubernetes API call failed (HTTP 500";
                case CONFLICT_409 -> "cluster cloud: the object was changed by someone else meanwhile";
                default -> "cluster cloud: Kubernetes API call timed out";
            };
            // sim-03 is written first; cloud's first write is the one between the two sides.
            expectFailure(() -> arm("cloud", 1, fault), "/api/v1/links/sim-03/cloud", "PUT", reason);
            assertThat(settledSnapshot(client("cloud")))
                    .as("cloud after " + fault)
                    .isEqualTo(cloudBefore);
            assertThat(settledSnapshot(client("homelab")))
                    .as("homelab after " + fault)
                    .isEqualTo(homelabBefore);
        }
        finished(operator().put("/api/v1/links/sim-03/cloud").then()).body("state", equalTo("succeeded"));
        assertConverged("/api/v1/links/cloud/sim-03", null, "cloud", "sim-03");
        assertThat(settledSnapshot(client("homelab"))).isEqualTo(homelabBefore);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> operator()
                        .get("/api/v1/links/homelab/cloud")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("healthy")));
    }

    @Test
    void kubeconfigRemovedDuringAConnectFailsItByNameAndReRunConverges() throws Exception {
        existingLink();
        MeshStates.enabled("sim-03", "{}");
        MeshStates.disconnected("homelab", "sim-03");
        Path dir = SimulatedClustersResource.kubeconfigDir();
        Path kubeconfig = dir.resolve("sim-03");
        Path aside = Files.createTempFile("sim-03-kubeconfig-", "");
        var sim03Before = settledSnapshot(client("sim-03"));
        SimulatedClustersResource.cluster("homelab").failWrite(1, SimulatedWriteFault.SLOW, Duration.ofMillis(1500));
        String id = operator()
                .put("/api/v1/links/homelab/sim-03")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Files.move(kubeconfig, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            var failed = awaitFinished(id);
            failed.body("state", equalTo("failed")).body("error", containsString("no cluster named 'sim-03'"));
            assertThat(settledSnapshot(client("sim-03"))).isEqualTo(sim03Before);
        } finally {
            Files.move(aside, kubeconfig);
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> operator().get("/api/v1/clusters/sim-03").then().statusCode(200));
        finished(operator().put("/api/v1/links/homelab/sim-03").then()).body("state", equalTo("succeeded"));
        assertConverged("/api/v1/links/homelab/sim-03", null, "homelab", "sim-03");
    }

    @Test
    void busyClusterRefusesASecondMutationNamingTheRunningOneWhileReadersAreAnswered() throws Exception {
        existingLink();
        MeshStates.enabled("sim-03", "{}");
        MeshStates.connected("sim-03", "cloud");
        // Two slow writes in a row (each inside the client timeout) keep the disconnect running.
        SimulatedClustersResource.cluster("sim-03").failWrite(1, SimulatedWriteFault.SLOW, SLOW);
        String id = operator()
                .delete("/api/v1/links/sim-03/cloud")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        SimulatedClustersResource.cluster("sim-03").failWrite(1, SimulatedWriteFault.SLOW, SLOW);

        operator()
                .put("/api/v1/clusters/sim-03/clustermesh")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/operation-in-progress"))
                .body("detail", containsString(id))
                .body("detail", containsString("disconnect"));
        operator().put("/api/v1/links/homelab/cloud").then().statusCode(409).body("detail", containsString(id));

        List<String> reads = List.of(
                "/api/v1/clusters/cloud",
                "/api/v1/clusters/homelab",
                "/api/v1/links/homelab/cloud",
                "/api/v1/operations",
                "/api/v1/operations/" + id,
                "/api/v1/clusters/cloud");
        ExecutorService readers = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String path = reads.get(i % reads.size());
                calls.add(() -> viewer().get(path).then().extract().statusCode());
            }
            List<Future<Integer>> answers = readers.invokeAll(calls, 30, TimeUnit.SECONDS);
            String stateAfterReads =
                    operator().get("/api/v1/operations/" + id).then().extract().path("state");
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
            assertThat(stateAfterReads)
                    .as("every reader was answered while the disconnect was still running")
                    .isEqualTo("running");
        } finally {
            readers.shutdownNow();
        }
        awaitFinished(id).body("state", equalTo("succeeded"));
    }

    @Test
    void execFailingInTheMiddleOfAWireGuardRotationStopsAtThatNodeNamingItAndReRunConverges() {
        existingLink();
        KubernetesClient cloud = client("cloud");
        Map<String, String> before = WireGuardObservations.publishedKeys(cloud);
        var othersBefore = settledSnapshot(Map.of("homelab", client("homelab"), "sim-03", client("sim-03")));
        SimulatedClustersResource.cluster("cloud").failWireGuardKeyFileRemoval("cloud-node-2");
        try (var agents = WireGuardObservations.Availability.watch(cloud)) {
            var failed = finished(operator()
                            .post("/api/v1/clusters/cloud/wireguard/rotations")
                            .then())
                    .body("state", equalTo("failed"))
                    .body("error", containsString("rotation of cloud stopped at node cloud-node-2"))
                    .body("error", containsString("exited 1"))
                    .body("error", containsString("untouched: cloud-node-3"));
            assertThat(WireGuardObservations.statesAround(
                            failed.extract().path("steps.name"),
                            failed.extract().path("steps.state"),
                            "cloud: exec in cilium-agent on cloud-node-2"))
                    .containsExactly("[succeeded]", "failed", "[pending]");
            Map<String, String> stopped = WireGuardObservations.publishedKeys(cloud);
            assertThat(stopped.get("cloud-node-1"))
                    .as("the first node's rotation is complete")
                    .isNotEqualTo(before.get("cloud-node-1"))
                    .matches(WireGuardObservations::valid);
            assertThat(stopped.get("cloud-node-2"))
                    .as("the failed node keeps its key")
                    .isEqualTo(before.get("cloud-node-2"));
            assertThat(stopped.get("cloud-node-3")).as("the untouched node").isEqualTo(before.get("cloud-node-3"));
            assertPeersList(stopped.get("cloud-node-1"), "cloud-node-1");
            viewer().get("/api/v1/clusters/cloud/wireguard")
                    .then()
                    .statusCode(200)
                    .body("nodes.find { it.node == 'cloud-node-1' }.ageSource", equalTo("rotation"))
                    .body("nodes.find { it.node == 'cloud-node-1' }.problem", equalTo(null))
                    .body("rotation.current", equalTo("cloud-node-2"))
                    .body("rotation.done", equalTo(List.of("cloud-node-1")));

            var resumed = finished(operator()
                            .post("/api/v1/clusters/cloud/wireguard/rotations")
                            .then())
                    .body("state", equalTo("succeeded"));
            assertThat(WireGuardObservations.rotatedNodes(resumed.extract().path("steps.name")))
                    .containsExactly("cloud-node-2", "cloud-node-3");
            Map<String, String> after = WireGuardObservations.publishedKeys(cloud);
            assertThat(after.get("cloud-node-1")).isEqualTo(stopped.get("cloud-node-1"));
            List<String> mesh = new ArrayList<>(after.values());
            mesh.addAll(WireGuardObservations.publishedKeys(client("homelab")).values());
            mesh.addAll(WireGuardObservations.publishedKeys(client("sim-03")).values());
            assertThat(mesh).as("every key unique in the mesh").doesNotHaveDuplicates();
            after.forEach((node, key) -> {
                assertThat(key).as(node).isNotEqualTo(before.get(node)).matches(WireGuardObservations::valid);
                assertPeersList(key, node);
            });
            assertThat(WireGuardObservations.rotationState(cloud).has("inProgress"))
                    .as("rotation ConfigMap says finished")
                    .isFalse();
            assertThat(agents.observations()).isGreaterThan(10);
            assertThat(agents.worst())
                    .as("nodes of cloud without a Ready agent at once")
                    .hasSizeLessThanOrEqualTo(1);
        }
        assertThat(settledSnapshot(Map.of("homelab", client("homelab"), "sim-03", client("sim-03"))))
                .isEqualTo(othersBefore);
    }

    /** homelab and cloud (both on the default NodePort) enabled and connected, with no fault armed or injected. */
    private static void existingLink() {
        MeshStates.healed();
        MeshStates.enabled("homelab", "{}");
        MeshStates.enabled("cloud", "{}");
        MeshStates.connected("homelab", "cloud");
    }

    /** A snapshot once the simulated controllers have caught up (a rollout an operation started may still be finishing). */
    private static Map<String, String> settledSnapshot(KubernetesClient client) {
        SimulatedClustersResource.awaitSettled();
        return ClusterObjects.snapshot(client);
    }

    private static Map<String, Map<String, String>> settledSnapshot(Map<String, KubernetesClient> clients) {
        SimulatedClustersResource.awaitSettled();
        return ClusterObjects.snapshot(clients);
    }

    /** Every agent of cloud but the node's own, and every agent of homelab (connected), lists {@code key}. */
    private static void assertPeersList(String key, String node) {
        for (String cluster : List.of("cloud", "homelab")) {
            for (var agent : WireGuardObservations.agents(client(cluster))) {
                if (!agent.getSpec().getNodeName().equals(node)) {
                    assertThat(WireGuardObservations.peerKeys(client(cluster), agent))
                            .as(cluster + "/" + agent.getSpec().getNodeName() + " lists " + node)
                            .contains(key);
                }
            }
        }
    }

    /** The dry run of {@code path} plans nothing; on failure the apiserver Deployments' host aliases are shown. */
    private static void assertConverged(String path, String body, String... clusters) {
        var request = operator().queryParam("dryRun", "true");
        List<Object> plan = (body == null ? request : request.body(body))
                .put(path)
                .then()
                .statusCode(200)
                .extract()
                .path("plan");
        StringBuilder aliases = new StringBuilder();
        for (String cluster : clusters) {
            var deployment = client(cluster)
                    .apps()
                    .deployments()
                    .inNamespace("kube-system")
                    .withName("clustermesh-apiserver")
                    .get();
            aliases.append(cluster)
                    .append(": ")
                    .append(deployment.getSpec().getTemplate().getSpec().getHostAliases())
                    .append(' ')
                    .append(deployment.getMetadata().getAnnotations())
                    .append('\n');
        }
        assertThat(plan)
                .as("dry run of " + path + " after convergence; deployments:\n" + aliases)
                .isEmpty();
    }

    private static void arm(String cluster, int nth, SimulatedWriteFault fault) {
        SimulatedClustersResource.cluster(cluster)
                .failWrite(nth, fault, fault == SimulatedWriteFault.HANG ? HANG : Duration.ZERO);
    }

    private static void expectFailure(Runnable arm, String path, String method, String reason) {
        arm.run();
        ValidatableResponse accepted = operator().request(method, path).then();
        finished(accepted)
                .body("state", equalTo("failed"))
                .body("error", containsString(reason))
                .body("steps.findAll { it.state == 'failed' }.size()", equalTo(1));
    }

    private static ValidatableResponse awaitFinished(String id) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !List.of("pending", "running")
                        .contains(operator()
                                .get("/api/v1/operations/" + id)
                                .then()
                                .extract()
                                .<String>path("state")));
        return operator().get("/api/v1/operations/" + id).then();
    }
}
