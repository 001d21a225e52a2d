package io.clustermesh.controller.wireguard;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static io.clustermesh.controller.support.WireGuardObservations.rotatedNodes;
import static io.clustermesh.controller.support.WireGuardObservations.statesAround;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.AgentStatusParser;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.clustermesh.controller.rotation.RotationOverview;
import io.clustermesh.controller.rotation.RotationScheduler;
import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** WireGuard key and certificate rotation against simulated clusters (homelab and cloud, connected). */
@QuarkusTest
@TestProfile(RotationTest.FastRotation.class)
@QuarkusTestResource(
        value = SimulatedClustersResource.class,
        initArgs = @ResourceArg(name = "clusters", value = "2"),
        restrictToAnnotatedClass = true)
class RotationTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final List<String> CLOUD_NODES = List.of("cloud-node-1", "cloud-node-2", "cloud-node-3");
    private static final ResourceDefinitionContext CILIUM_NODES = new ResourceDefinitionContext.Builder()
            .withGroup("cilium.io")
            .withVersion("v2")
            .withKind("CiliumNode")
            .withPlural("ciliumnodes")
            .withNamespaced(false)
            .build();

    public static class FastRotation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mesh.rotation.wireguard.node-timeout",
                    "6s",
                    "mesh.rotation.wireguard.peer-timeout",
                    "20s",
                    "mesh.rotation.wireguard.poll-interval",
                    "200ms",
                    "mesh.rotation.wireguard-max-age",
                    "3s");
        }
    }

    @Test
    void dryRunListsTheNodesInOrderAndChangesNothing() {
        neverRotated("cloud");
        List<String> steps = operator()
                .queryParam("dryRun", "true")
                .post("/api/v1/clusters/cloud/wireguard/rotations")
                .then()
                .statusCode(200)
                .body("kind", equalTo("wireguard-rotation"))
                .extract()
                .path("plan.step");
        assertThat(rotatedNodes(steps)).containsExactlyElementsOf(CLOUD_NODES);
        assertThat(steps).hasSize(7 * CLOUD_NODES.size());
        assertThat(steps.subList(0, 7))
                .satisfiesExactly(
                        s -> assertThat(s).isEqualTo("cloud: record the old key of cloud-node-1"),
                        s -> assertThat(s)
                                .isEqualTo("cloud: await the other agents Ready before restarting cloud-node-1"),
                        s -> assertThat(s)
                                .isEqualTo("cloud: exec in cilium-agent on cloud-node-1: rm -f "
                                        + CiliumNames.WG_KEY_FILE),
                        s -> assertThat(s)
                                .isEqualTo("cloud: delete Pod " + NS + "/"
                                        + agentOn("cloud", "cloud-node-1")
                                                .getMetadata()
                                                .getName()),
                        s -> assertThat(s).isEqualTo("cloud: await a new, unique WireGuard key from cloud-node-1"),
                        s -> assertThat(s).isEqualTo("cloud: await every peer lists the new key of cloud-node-1"),
                        s -> assertThat(s).isEqualTo("cloud: record the new key of cloud-node-1"));
        List<String> chosen = operator()
                .queryParam("dryRun", "true")
                .body("{\"nodes\":[\"cloud-node-3\",\"cloud-node-1\"]}")
                .post("/api/v1/clusters/cloud/wireguard/rotations")
                .then()
                .statusCode(200)
                .extract()
                .path("plan.step");
        assertThat(rotatedNodes(chosen)).containsExactly("cloud-node-3", "cloud-node-1");

        operator()
                .body("{\"maxUnavailable\":2}")
                .post("/api/v1/clusters/cloud/wireguard/rotations")
                .then()
                .statusCode(400)
                .body("field", equalTo("maxUnavailable"));
        operator()
                .body("{\"nodes\":[\"homelab-node-1\"]}")
                .post("/api/v1/clusters/cloud/wireguard/rotations")
                .then()
                .statusCode(400)
                .body("field", equalTo("nodes"));
        operator()
                .queryParam("dryRun", "maybe")
                .post("/api/v1/clusters/cloud/wireguard/rotations")
                .then()
                .statusCode(400)
                .body("field", equalTo("dryRun"));
        viewer().post("/api/v1/clusters/cloud/wireguard/rotations").then().statusCode(403);
        try (var cloud = SimulatedClustersResource.client("cloud")) {
            assertThat(cloud.configMaps()
                            .inNamespace(NS)
                            .withName(RotationState.CONFIG_MAP)
                            .get())
                    .isNull();
        }
    }

    @Test
    void viewShowsFingerprintsAndAgesButNoKeys() {
        neverRotated("cloud");
        var body = viewer().get("/api/v1/clusters/cloud/wireguard")
                .then()
                .statusCode(200)
                .body("simulated", equalTo(true))
                .body("wireguardEnabled", equalTo(true));
        List<String> fingerprints = body.extract().path("nodes.fingerprint");
        assertThat(body.extract().<List<String>>path("nodes.node")).containsExactlyElementsOf(CLOUD_NODES);
        assertThat(fingerprints)
                .allSatisfy(f -> assertThat(f).matches("[0-9a-f]{16}"))
                .doesNotHaveDuplicates();
        assertThat(body.extract().<List<String>>path("nodes.ageSource")).containsOnly("node-created");
        String text = body.extract().asString();
        publishedKeys("cloud").values().forEach(key -> assertThat(text).doesNotContain(key));
    }

    @Test
    void connectHomelabAndCloud() {
        MeshStates.healed();
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> operator()
                        .get("/api/v1/links/homelab/cloud")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("healthy")));
    }

    @Test
    void rollingRotationOfCloudCompletesNodeByNodeAndPeersInBothClustersLearnTheKeys() {
        connectedWithNoRotationInProgress();
        Map<String, String> before = publishedKeys("cloud");
        List<String> planned = operator()
                .queryParam("dryRun", "true")
                .post("/api/v1/clusters/cloud/wireguard/rotations")
                .then()
                .statusCode(200)
                .extract()
                .path("plan.step");
        var op = finished(operator()
                        .post("/api/v1/clusters/cloud/wireguard/rotations")
                        .then())
                .body("state", equalTo("succeeded"));
        assertThat(op.extract().<List<String>>path("steps.name"))
                .as("the real run's steps are the dry run's plan")
                .containsExactlyElementsOf(planned);
        assertThat(rotatedNodes(planned)).containsExactlyElementsOf(CLOUD_NODES);
        assertThat(op.extract().<List<String>>path("steps.state")).containsOnly("succeeded");
        List<String> started = op.extract().path("steps.startedAt");
        List<String> ended = op.extract().path("steps.finishedAt");
        for (int i = 1; i < started.size(); i++) {
            assertThat(started.get(i))
                    .as("step %d starts after step %d finished", i + 1, i)
                    .isGreaterThanOrEqualTo(ended.get(i - 1));
        }
        Map<String, String> after = publishedKeys("cloud");
        CLOUD_NODES.forEach(n -> assertThat(after.get(n)).isNotEqualTo(before.get(n)));
        assertThat(after.values()).doesNotHaveDuplicates();
        for (Pod agent : agents("homelab")) {
            assertThat(peerKeys("homelab", agent)).containsAll(after.values());
        }
        var view = viewer().get("/api/v1/clusters/cloud/wireguard").then().statusCode(200);
        assertThat(view.extract().<List<String>>path("nodes.ageSource")).containsOnly("rotation");
        assertThat(view.extract().<List<Integer>>path("nodes.keyAgeDays")).containsOnly(0);
        assertThat(view.extract().<List<String>>path("nodes.lastRotation")).doesNotContainNull();
        view.body("rotation", equalTo(null));
    }

    @Test
    void anAgentThatNeverComesBackStopsTheRotationThereAndLeavesLaterNodesUntouched() {
        connectedWithNoRotationInProgress();
        Map<String, String> before = publishedKeys("cloud");
        String node3Agent = agentOn("cloud", "cloud-node-3").getMetadata().getName();
        SimulatedClustersResource.cluster("cloud").inject(SimulatedFault.AGENT_RESTART_STUCK);
        try {
            var op = finished(operator()
                            .post("/api/v1/clusters/cloud/wireguard/rotations")
                            .then())
                    .body("state", equalTo("failed"))
                    .body("error", containsString("stopped at node cloud-node-2"))
                    .body("error", containsString("untouched: cloud-node-3"))
                    .body("errorType", equalTo("/problems/rotation-stopped"));
            assertThat(statesAround(
                            op.extract().path("steps.name"),
                            op.extract().path("steps.state"),
                            "await a new, unique WireGuard key from cloud-node-2"))
                    .containsExactly("[succeeded]", "failed", "[pending]");
            assertThat(op.extract().<String>path("steps.find { it.state == 'failed' }.message"))
                    .contains("cloud-node-2")
                    .contains("no agent pod");
            Map<String, String> after = publishedKeys("cloud");
            assertThat(after.get("cloud-node-1")).isNotEqualTo(before.get("cloud-node-1"));
            assertThat(after.get("cloud-node-3")).isEqualTo(before.get("cloud-node-3"));
            assertThat(agentOn("cloud", "cloud-node-3").getMetadata().getName()).isEqualTo(node3Agent);
            viewer().get("/api/v1/clusters/cloud/wireguard")
                    .then()
                    .body("rotation.current", equalTo("cloud-node-2"))
                    .body("rotation.done", equalTo(List.of("cloud-node-1")));
        } finally {
            SimulatedClustersResource.cluster("cloud").heal();
        }
    }

    @Test
    void reRunningResumesAtTheNodeWhereItStopped() {
        rotationOfCloudStoppedAtItsSecondNode();
        // The crash is healed: the DaemonSet brings cloud-node-2's agent back before we resume.
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> agentOn("cloud", "cloud-node-2"));
        String node1 = publishedKeys("cloud").get("cloud-node-1");
        var dryRun = operator()
                .queryParam("dryRun", "true")
                .post("/api/v1/clusters/cloud/wireguard/rotations")
                .then()
                .statusCode(200);
        assertThat(rotatedNodes(dryRun.extract().path("plan.step"))).containsExactly("cloud-node-2", "cloud-node-3");
        assertThat(dryRun.extract().<List<String>>path("warnings"))
                .anySatisfy(w -> assertThat(w).contains("resuming"));
        var op = finished(operator()
                        .post("/api/v1/clusters/cloud/wireguard/rotations")
                        .then())
                .body("state", equalTo("succeeded"));
        List<String> resumed = op.extract().path("steps.name");
        assertThat(resumed.get(0)).isEqualTo("cloud: record the old key of cloud-node-2");
        assertThat(rotatedNodes(resumed)).containsExactly("cloud-node-2", "cloud-node-3");
        assertThat(publishedKeys("cloud").get("cloud-node-1")).isEqualTo(node1);
        viewer().get("/api/v1/clusters/cloud/wireguard").then().body("rotation", equalTo(null));
    }

    @Test
    void aDuplicatePublicKeyIsRefused() {
        connectedWithNoRotationInProgress();
        SimulatedClustersResource.cluster("cloud").copyWireGuardKeyFileOnNextGeneration("cloud-node-1", "cloud-node-3");
        finished(operator()
                        .body("{\"nodes\":[\"cloud-node-1\"]}")
                        .post("/api/v1/clusters/cloud/wireguard/rotations")
                        .then())
                .body("state", equalTo("failed"))
                .body("error", containsString("cloud-node-1"))
                .body("error", containsString("cloud/cloud-node-3 already uses"))
                .body("errorType", equalTo("/problems/duplicate-wireguard-key"));
        viewer().get("/api/v1/clusters/cloud/wireguard")
                .then()
                .body("nodes[0].problem", containsString("another node"));
        // Resuming regenerates the key once more (the clone was a one-off) and completes.
        finished(operator().post("/api/v1/clusters/cloud/wireguard/rotations").then())
                .body("state", equalTo("succeeded"));
        Map<String, String> keys = publishedKeys("cloud");
        assertThat(keys.values()).doesNotHaveDuplicates();
    }

    @Test
    void certificatesShowSubjectsSansAndDaysLeftButNoKeys() {
        MeshStates.homelabAndCloudConnected();
        var body = viewer().get("/api/v1/clusters/cloud/certificates")
                .then()
                .statusCode(200)
                .body("simulated", equalTo(true))
                .body("thresholdDays", equalTo(30));
        assertThat(body.extract().<List<String>>path("certificates.role"))
                .containsExactly("ca", "server", "admin", "remote", "local");
        assertThat(body.extract().<List<Integer>>path("certificates.daysLeft"))
                .allSatisfy(d -> assertThat(d).isBetween(1094, 1095));
        assertThat(body.extract().<List<Boolean>>path("certificates.due")).containsOnly(false);
        assertThat(body.extract().<List<String>>path("certificates[1].dnsNames"))
                .contains("clustermesh-apiserver.cilium.io", "*.mesh.cilium.io");
        assertThat(body.extract().<List<String>>path("trustBundle.commonName")).containsExactly("Cilium CA");
        assertThat(body.extract().asString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void caRotationWithOverlapKeepsTheLinkHealthyThroughout() throws Exception {
        MeshStates.healed();
        MeshStates.homelabAndCloudConnected();
        MeshStates.healthyLink("homelab", "cloud");
        String oldCa = viewer().get("/api/v1/clusters/cloud/certificates")
                .then()
                .extract()
                .path("certificates[0].sha256Fingerprint");
        var dryRun = operator()
                .queryParam("dryRun", "true")
                .body("{\"ca\":true}")
                .post("/api/v1/clusters/cloud/certificates/rotations")
                .then()
                .statusCode(200);
        assertThat(dryRun.extract().<List<String>>path("plan.cluster")).contains("cloud", "homelab");
        assertThat(dryRun.extract().<List<String>>path("plan.summary"))
                .anySatisfy(s -> assertThat(s).startsWith("phase 3/3"));

        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var watching = java.util.concurrent.Executors.newSingleThreadExecutor();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var watcher = watching.submit(() -> {
            while (!stop.get()) {
                seen.add(viewer().get("/api/v1/links/homelab/cloud")
                        .then()
                        .extract()
                        .path("status"));
            }
        });
        try {
            var op = finished(operator()
                            .body("{\"ca\":true}")
                            .post("/api/v1/clusters/cloud/certificates/rotations")
                            .then())
                    .body("state", equalTo("succeeded"));
            // The dry run listed exactly the steps the real run reported, phase after phase.
            assertThat(op.extract().<List<String>>path("steps.name"))
                    .isEqualTo(dryRun.extract().<List<String>>path("plan.step"))
                    .contains(
                            "phase 1/3 trust the old and the new CA: cloud: wait for the clustermesh-apiserver rollout",
                            "phase 2/3 re-issue the certificates with the new CA: homelab: update Secret " + NS
                                    + "/clustermesh-controller-ca",
                            "phase 3/3 drop the old CA: cloud: wait for the agents to read the new certificates");
        } finally {
            stop.set(true);
            watcher.get();
            watching.shutdown();
        }
        // Each phase restarts cloud's single clustermesh-apiserver pod, which holds both cloud's etcd (homelab's
        // kvstoremesh dials it) and cloud's kvstoremesh (which dials homelab): as on a real cluster, a reading may
        // catch one or both directions re-syncing. Those windows are short (a side that distrusted the other
        // would stay not ready from the re-issue on, well beyond a quarter of the readings); the link is never
        // control-plane-only and ends healthy. (Re-issuing without the overlap read 17 of 53 readings not healthy.)
        assertThat(seen).isNotEmpty().isSubsetOf("healthy", "degraded", "down");
        assertThat(seen.stream().filter(s -> !s.equals("healthy")).count())
                .as("readings during the restarts: " + seen)
                .isLessThanOrEqualTo(seen.size() / 4);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> viewer().get("/api/v1/links/homelab/cloud").then().body("status", equalTo("healthy")));
        var after = viewer().get("/api/v1/clusters/cloud/certificates").then();
        String newCa = after.extract().path("certificates[0].sha256Fingerprint");
        assertThat(newCa).isNotEqualTo(oldCa);
        assertThat(after.extract().<List<String>>path("trustBundle.sha256Fingerprint"))
                .containsExactly(newCa);
        assertThat(after.extract().<List<String>>path("certificates.issuer"))
                .allSatisfy(i -> assertThat(i).contains("Cilium CA"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        operator().get("/api/v1/links/homelab/cloud").then().body("status", equalTo("healthy")));
    }

    @Test
    void leafReissueKeepsTheCa() {
        MeshStates.healed();
        MeshStates.homelabAndCloudConnected();
        MeshStates.healthyLink("homelab", "cloud");
        var before = viewer().get("/api/v1/clusters/cloud/certificates").then();
        List<String> planned = operator()
                .queryParam("dryRun", "true")
                .post("/api/v1/clusters/cloud/certificates/rotations")
                .then()
                .statusCode(200)
                .extract()
                .path("plan.step");
        var op = finished(operator()
                        .post("/api/v1/clusters/cloud/certificates/rotations")
                        .then())
                .body("state", equalTo("succeeded"));
        assertThat(op.extract().<List<String>>path("steps.name"))
                .isEqualTo(planned)
                .containsExactly(
                        "cloud: update Secret " + NS + "/clustermesh-apiserver-server-cert",
                        "cloud: update Secret " + NS + "/clustermesh-apiserver-admin-cert",
                        "cloud: update Secret " + NS + "/clustermesh-apiserver-remote-cert",
                        "cloud: update Secret " + NS + "/clustermesh-apiserver-local-cert",
                        "cloud: update Deployment " + NS + "/clustermesh-apiserver",
                        "cloud: wait for the clustermesh-apiserver rollout",
                        "cloud: wait for the agents to read the new certificates");
        var after = viewer().get("/api/v1/clusters/cloud/certificates").then();
        assertThat(after.extract().<String>path("certificates[0].sha256Fingerprint"))
                .isEqualTo(before.extract().path("certificates[0].sha256Fingerprint"));
        assertThat(after.extract().<String>path("certificates[1].sha256Fingerprint"))
                .isNotEqualTo(before.extract().path("certificates[1].sha256Fingerprint"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        operator().get("/api/v1/links/homelab/cloud").then().body("status", equalTo("healthy")));
    }

    @Inject
    RotationScheduler scheduler;

    @Inject
    RotationOverview overview;

    @Test
    void aScheduledPassRotatesKeysOlderThanTheMaximumAgeInEveryCluster() {
        connectedWithNoRotationInProgress();
        var health = overview.overview();
        assertThat(health.wireguardKeys())
                .extracting(WireGuardRotationService.NodeKeyAge::node)
                .containsExactly("cloud-node-1", "cloud-node-2", "cloud-node-3", "homelab-node-1", "homelab-node-2");
        assertThat(health.certificates())
                .hasSize(10)
                .allSatisfy(c -> assertThat(c.daysLeft()).isGreaterThan(1000));

        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> viewer()
                                .get("/api/v1/clusters/homelab/wireguard")
                                .then()
                                .extract()
                                .<List<Boolean>>path("nodes.due")
                                .stream()
                                .allMatch(d -> d));
        Map<String, String> before = publishedKeys("homelab");
        RotationScheduler.Pass pass = scheduler.runPass();
        assertThat(pass.leader()).isTrue();
        assertThat(pass.started()).as("skipped: %s", pass.skipped()).hasSize(2);
        for (String id : pass.started()) {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> !List.of("pending", "running")
                            .contains(operator()
                                    .get("/api/v1/operations/" + id)
                                    .then()
                                    .extract()
                                    .<String>path("state")));
            operator()
                    .get("/api/v1/operations/" + id)
                    .then()
                    .body("state", equalTo("succeeded"))
                    .body("requestedBy", equalTo("scheduler"));
        }
        Map<String, String> after = publishedKeys("homelab");
        before.forEach((node, key) -> assertThat(after.get(node)).as(node).isNotEqualTo(key));
    }

    /** As before any rotation: no rotation record in {@code cluster}, so no key age is known but the node's. */
    private static void neverRotated(String cluster) {
        try (var client = SimulatedClustersResource.client(cluster)) {
            client.configMaps()
                    .inNamespace(NS)
                    .withName(RotationState.CONFIG_MAP)
                    .delete();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> viewer().get("/api/v1/clusters/" + cluster + "/wireguard")
                        .then()
                        .statusCode(200)
                        .body("rotation", equalTo(null))
                        .body("nodes.lastRotation.findAll { it != null }", org.hamcrest.Matchers.empty()));
    }

    /** homelab and cloud connected and healthy, no fault, and no rotation of cloud left half done (a stopped one is finished). */
    private static void connectedWithNoRotationInProgress() {
        MeshStates.healed();
        MeshStates.homelabAndCloudConnected();
        MeshStates.healthyLink("homelab", "cloud");
        if (viewer().get("/api/v1/clusters/cloud/wireguard")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("rotation")
                != null) {
            // Finishing it restarts agents; on a loaded machine the simulated DaemonSet may take longer than the
            // profile's 6 s node timeout to bring one back, and the rotation stops again: resume it again
            // (this is the setup, not what the tests check).
            String state = "failed";
            for (int attempt = 0; attempt < 3 && !"succeeded".equals(state); attempt++) {
                await().atMost(Duration.ofSeconds(15))
                        .ignoreExceptions()
                        .untilAsserted(() -> CLOUD_NODES.forEach(node -> agentOn("cloud", node)));
                state = finished(operator()
                                .post("/api/v1/clusters/cloud/wireguard/rotations")
                                .then())
                        .extract()
                        .path("state");
            }
            assertThat(state).as("the stopped rotation of cloud, resumed").isEqualTo("succeeded");
        }
    }

    /** A rotation of cloud that rotated cloud-node-1 and stopped at cloud-node-2, whose agent did not come back in time. */
    private static void rotationOfCloudStoppedAtItsSecondNode() {
        connectedWithNoRotationInProgress();
        SimulatedClustersResource.cluster("cloud").inject(SimulatedFault.AGENT_RESTART_STUCK);
        try {
            finished(operator()
                            .post("/api/v1/clusters/cloud/wireguard/rotations")
                            .then())
                    .body("state", equalTo("failed"))
                    .body("error", containsString("stopped at node cloud-node-2"));
        } finally {
            SimulatedClustersResource.cluster("cloud").heal();
        }
    }

    private static Map<String, String> publishedKeys(String cluster) {
        try (KubernetesClient client = SimulatedClustersResource.client(cluster)) {
            Map<String, String> keys = new LinkedHashMap<>();
            client.genericKubernetesResources(CILIUM_NODES).list().getItems().stream()
                    .sorted(java.util.Comparator.comparing(
                            cn -> cn.getMetadata().getName()))
                    .forEach(cn -> keys.put(
                            cn.getMetadata().getName(),
                            cn.getMetadata().getAnnotations().get(CiliumNames.WG_PUBKEY_ANNOTATION)));
            return keys;
        }
    }

    private static List<Pod> agents(String cluster) {
        try (KubernetesClient client = SimulatedClustersResource.client(cluster)) {
            return client.pods()
                    .inNamespace(NS)
                    .withLabel(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                    .list()
                    .getItems();
        }
    }

    private static Pod agentOn(String cluster, String node) {
        return agents(cluster).stream()
                .filter(p -> node.equals(p.getSpec().getNodeName()))
                .findFirst()
                .orElseThrow();
    }

    /**
     * The peers the agent lists. The test's own exec can fail to open on a loaded machine (fabric8
     * gives the WebSocket 10 s): it is asked again, as the executor asks again an exec that got no answer.
     */
    private static List<String> peerKeys(String cluster, Pod agent) {
        return await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> peerKeysOnce(cluster, agent), java.util.Objects::nonNull);
    }

    private static List<String> peerKeysOnce(String cluster, Pod agent) throws Exception {
        try (KubernetesClient client = SimulatedClustersResource.client(cluster)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var watch = client.pods()
                    .inNamespace(NS)
                    .withName(agent.getMetadata().getName())
                    .inContainer(CiliumNames.AGENT_CONTAINER)
                    .writingOutput(out)
                    .exec(AgentCommands.DEBUGINFO.toArray(String[]::new))) {
                assertThat(watch.exitCode().get(5, TimeUnit.SECONDS)).isZero();
            }
            return AgentStatusParser.parseDebugInfoWireguard(out.toString()).interfaces().get(0).peers().stream()
                    .map(WireguardPeer::publicKey)
                    .toList();
        }
    }
}
