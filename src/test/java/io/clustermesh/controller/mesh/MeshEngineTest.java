package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.pki.Pem;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
class MeshEngineTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;

    @Test
    void validationRefusesBadIdentitiesAndWritesNothing() {
        MeshStates.disabled("homelab", "cloud");
        try (var cloud = SimulatedClustersResource.client("cloud")) {
            var config = cloud.configMaps().inNamespace(NS).withName(CiliumNames.CONFIG_MAP);
            for (String badId : List.of("0", "256")) {
                config.edit(cm -> {
                    cm.getData().put(CiliumNames.KEY_CLUSTER_ID, badId);
                    return cm;
                });
                operator()
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("type", equalTo("/problems/invalid-cluster-id"))
                        .body("field", equalTo("clusterId"));
            }
            config.edit(cm -> {
                cm.getData().put(CiliumNames.KEY_CLUSTER_ID, "2");
                return cm;
            });
            assertThat(cloud.secrets().inNamespace(NS).list().getItems()).isEmpty();
            assertThat(cloud.apps().deployments().inNamespace(NS).list().getItems())
                    .isEmpty();
        }
        operator()
                .queryParam("dryRun", "yes")
                .put("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(400)
                .body("field", equalTo("dryRun"));
        operator()
                .body("{\"serviceType\":\"Magic\"}")
                .put("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(400)
                .body("field", equalTo("serviceType"));
        operator()
                .body("{\"bogus\":1}")
                .put("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(400)
                .body("field", equalTo("bogus"));
        operator().put("/api/v1/links/cloud/cloud").then().statusCode(400).body("field", equalTo("b"));
        operator()
                .put("/api/v1/links/cloud/homelab")
                .then()
                .statusCode(409)
                .body("type", equalTo("/problems/clustermesh-not-enabled"));
    }

    @Test
    void enableWritesTheChartsObjectsAndIsIdempotent() throws Exception {
        MeshStates.disabled("homelab", "cloud");
        List<Map<String, String>> dryRun = operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/clusters/homelab/clustermesh")
                .then()
                .statusCode(200)
                .extract()
                .path("plan");
        var op = finished(operator().put("/api/v1/clusters/homelab/clustermesh").then())
                .body("state", equalTo("succeeded"));
        List<String> steps = op.extract().path("steps.name");
        // Dry run is the plan the real run executes: the same steps, in the same order, nothing more.
        assertThat(steps)
                .containsExactlyElementsOf(
                        dryRun.stream().map(c -> c.get("step")).toList())
                .endsWith("release lock 'shared mesh CA'", "homelab: wait for clustermesh-apiserver ready");
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));

        try (var homelab = SimulatedClustersResource.client("homelab")) {
            var deployment = homelab.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get();
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
                    .extracting(c -> c.getName())
                    .containsExactly("etcd", "apiserver", "kvstoremesh");
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
                    .allSatisfy(
                            c -> assertThat(c.getImage()).isEqualTo("quay.io/cilium/clustermesh-apiserver:v1.18.2"));
            assertThat(deployment.getSpec().getSelector().getMatchLabels())
                    .containsEntry("k8s-app", "clustermesh-apiserver");
            var service = homelab.services()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get();
            assertThat(service.getSpec().getType()).isEqualTo("NodePort");
            assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(2379);
            assertThat(service.getSpec().getPorts().get(0).getNodePort()).isEqualTo(32379);
            for (String name : List.of(
                    CiliumNames.SERVER_CERT_SECRET,
                    CiliumNames.ADMIN_CERT_SECRET,
                    CiliumNames.REMOTE_CERT_SECRET,
                    CiliumNames.LOCAL_CERT_SECRET)) {
                Secret secret = homelab.secrets().inNamespace(NS).withName(name).get();
                assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
                assertThat(secret.getData()).containsOnlyKeys("ca.crt", "tls.crt", "tls.key");
            }
            var server = Pem.parseCertificate(decode(
                    homelab.secrets()
                            .inNamespace(NS)
                            .withName(CiliumNames.SERVER_CERT_SECRET)
                            .get(),
                    "tls.crt"));
            assertThat(server.getSubjectAlternativeNames())
                    .extracting(san -> String.valueOf(san.get(1)))
                    .contains(
                            "clustermesh-apiserver.cilium.io",
                            "*.mesh.cilium.io",
                            "clustermesh-apiserver.kube-system.svc",
                            "127.0.0.1",
                            "198.51.100.200");
            assertThat(decode(
                            homelab.secrets()
                                    .inNamespace(NS)
                                    .withName(CiliumNames.REMOTE_CERT_SECRET)
                                    .get(),
                            "ca.crt"))
                    .isEqualTo(decode(
                            SimulatedClustersResource.client("cloud")
                                    .secrets()
                                    .inNamespace(NS)
                                    .withName(CiliumNames.REMOTE_CERT_SECRET)
                                    .get(),
                            "ca.crt"));
        }
        operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/clusters/homelab/clustermesh")
                .then()
                .statusCode(200)
                .body("plan", empty());
        operator()
                .queryParam("dryRun", "true")
                .body("{\"serviceType\":\"LoadBalancer\"}")
                .put("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(200)
                .body("plan", empty());
    }

    @Test
    void connectWritesEtcdConfigForEachRemoteAndLinksBecomeReady() {
        MeshStates.enabled("homelab", "{}");
        MeshStates.enabled("cloud", MeshStates.LOAD_BALANCER);
        MeshStates.disconnected("homelab", "cloud");
        List<Map<String, String>> dryRun = operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/links/homelab/cloud")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .extract()
                .path("plan");
        assertThat(dryRun)
                .extracting(c -> c.get("cluster") + " " + c.get("name"))
                .containsExactly(
                        "homelab cilium-kvstoremesh",
                        "homelab cilium-clustermesh",
                        "homelab clustermesh-apiserver",
                        "cloud cilium-kvstoremesh",
                        "cloud cilium-clustermesh",
                        "cloud clustermesh-apiserver");
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));

        try (var homelab = SimulatedClustersResource.client("homelab");
                var cloud = SimulatedClustersResource.client("cloud")) {
            assertThat(decode(
                            homelab.secrets()
                                    .inNamespace(NS)
                                    .withName(CiliumNames.KVSTOREMESH_SECRET)
                                    .get(),
                            "cloud"))
                    .isEqualTo("""
                    endpoints:
                    - https://cloud.mesh.cilium.io:2379
                    trusted-ca-file: /var/lib/cilium/clustermesh/common-etcd-client-ca.crt
                    key-file: /var/lib/cilium/clustermesh/common-etcd-client.key
                    cert-file: /var/lib/cilium/clustermesh/common-etcd-client.crt""");
            assertThat(decode(
                            cloud.secrets()
                                    .inNamespace(NS)
                                    .withName(CiliumNames.KVSTOREMESH_SECRET)
                                    .get(),
                            "homelab"))
                    .startsWith("endpoints:\n- https://homelab.mesh.cilium.io:32379\n");
            assertThat(decode(
                            homelab.secrets()
                                    .inNamespace(NS)
                                    .withName(CiliumNames.CLUSTERMESH_SECRET)
                                    .get(),
                            "cloud"))
                    .startsWith(
                            "endpoints:\n- https://clustermesh-apiserver.kube-system.svc:2379\ntrusted-ca-file: /var/lib/cilium/clustermesh/local-etcd-client-ca.crt");
            var homelabAliases = homelab.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getHostAliases();
            assertThat(homelabAliases).singleElement().satisfies(a -> {
                assertThat(a.getIp()).isEqualTo("203.0.113.10");
                assertThat(a.getHostnames()).containsExactly("cloud.mesh.cilium.io");
            });
            var cloudAliases = cloud.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getHostAliases();
            assertThat(cloudAliases)
                    .singleElement()
                    .satisfies(a -> assertThat(a.getIp()).isEqualTo("198.51.100.200"));
        }
        operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/links/cloud/homelab")
                .then()
                .statusCode(200)
                .body("plan", empty());
        awaitHealthyLink();
    }

    /**
     * A dry run is the plan the real run executes (issue 14): for connect, disconnect and disable the
     * operation reports exactly the dry run's steps, in order. (Enable is checked above.)
     */
    @Test
    void dryRunListsTheStepsTheRealRunReportsForConnectDisconnectAndDisable() {
        MeshStates.enabled("homelab", "{}");
        MeshStates.enabled("cloud", MeshStates.LOAD_BALANCER);
        MeshStates.disconnected("homelab", "cloud");
        assertDryRunIsTheRun("PUT", "/api/v1/links/homelab/cloud");
        assertDryRunIsTheRun("DELETE", "/api/v1/links/homelab/cloud");
        assertDryRunIsTheRun("DELETE", "/api/v1/clusters/homelab/clustermesh");
    }

    private static void assertDryRunIsTheRun(String method, String path) {
        List<String> planned = operator()
                .queryParam("dryRun", "true")
                .request(method, path)
                .then()
                .statusCode(200)
                .extract()
                .path("plan.step");
        assertThat(planned).as("%s %s plans something", method, path).isNotEmpty();
        List<String> ran = finished(operator().request(method, path).then())
                .body("state", equalTo("succeeded"))
                .extract()
                .path("steps.name");
        assertThat(ran).as("%s %s", method, path).containsExactlyElementsOf(planned);
    }

    @Test
    void brokenPortForwardTurnsOneDirectionDown() {
        MeshStates.homelabAndCloudConnected();
        awaitHealthyLink();
        SimulatedClustersResource.cluster("homelab")
                .inject(io.clustermesh.controller.sim.SimulatedFault.PORT_FORWARD_REMOVED);
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> operator()
                            .get("/api/v1/links/homelab/cloud")
                            .then()
                            .body("status", equalTo("degraded"))
                            .body("directions.find { it.from == 'cloud' }.status", equalTo("not-ready"))
                            .body("directions.find { it.from == 'homelab' }.status", equalTo("ready")));
        } finally {
            SimulatedClustersResource.cluster("homelab").heal();
        }
    }

    /**
     * Both clusters too slow for their deadline while their agents are asked (each API request takes
     * 6 s, longer than the 5 s deadline itself; their configuration comes from the watches): the link is still there, both
     * directions "unknown" and saying why. Without the configuration read ahead of the agents, the
     * link was absent (404) whenever both sides missed their deadline.
     */
    @Test
    void aLinkWhoseClustersMissTheirDeadlineReadsUnknownNotAbsent() {
        MeshStates.homelabAndCloudConnected();
        awaitHealthyLink();
        List<String> both = List.of("homelab", "cloud");
        try {
            both.forEach(c -> SimulatedClustersResource.cluster(c).latency(Duration.ofSeconds(6), Duration.ZERO));
            operator()
                    .get("/api/v1/links/homelab/cloud")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("down"))
                    .body("directions.status", equalTo(List.of("unknown", "unknown")))
                    .body(
                            "directions.find { it.from == 'homelab' }.reason",
                            equalTo("cluster homelab did not answer: no answer within 5000 ms"
                                    + " (its configuration was read; its agents were still being asked)"))
                    .body(
                            "directions.find { it.from == 'cloud' }.hint",
                            org.hamcrest.Matchers.containsString("cloud's Cilium agent pods"));
        } finally {
            both.forEach(c -> SimulatedClustersResource.cluster(c).latency(Duration.ZERO, Duration.ZERO));
        }
        awaitHealthyLink();
    }

    @Test
    void disconnectRemovesOnlyOurEntriesAndDisableRemovesOnlyOurObjects() {
        MeshStates.homelabAndCloudConnected();
        try (var homelab = SimulatedClustersResource.client("homelab")) {
            homelab.secrets()
                    .inNamespace(NS)
                    .withName(CiliumNames.CLUSTERMESH_SECRET)
                    .edit(s -> {
                        s.getData()
                                .put(
                                        "other",
                                        Base64.getEncoder()
                                                .encodeToString("endpoints:\n- https://other:2379\n"
                                                        .getBytes(StandardCharsets.UTF_8)));
                        return s;
                    });
            operator()
                    .delete("/api/v1/clusters/homelab/clustermesh")
                    .then()
                    .statusCode(409)
                    .body("type", equalTo("/problems/links-remain"));
            finished(operator().delete("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
            var data = homelab.secrets()
                    .inNamespace(NS)
                    .withName(CiliumNames.CLUSTERMESH_SECRET)
                    .get()
                    .getData();
            assertThat(data).containsOnlyKeys("other");
            operator()
                    .queryParam("dryRun", "true")
                    .delete("/api/v1/links/homelab/cloud")
                    .then()
                    .statusCode(200)
                    .body("plan", empty());

            finished(operator().delete("/api/v1/clusters/homelab/clustermesh").then())
                    .body("state", equalTo("succeeded"));
            assertThat(homelab.apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName(CiliumNames.APISERVER)
                            .get())
                    .isNull();
            assertThat(homelab.services()
                            .inNamespace(NS)
                            .withName(CiliumNames.APISERVER)
                            .get())
                    .isNull();
            assertThat(homelab.secrets().inNamespace(NS).list().getItems())
                    .extracting(s -> s.getMetadata().getName())
                    .doesNotContain(CiliumNames.SERVER_CERT_SECRET, CiliumNames.CLUSTERMESH_SECRET);
            assertThat(homelab.configMaps()
                            .inNamespace(NS)
                            .withName(CiliumNames.CONFIG_MAP)
                            .get())
                    .isNotNull();
            assertThat(homelab.apps()
                            .daemonSets()
                            .inNamespace(NS)
                            .withName(CiliumNames.AGENT_DAEMONSET)
                            .get())
                    .isNotNull();
        }
    }

    @BeforeEach
    void noFaults() {
        MeshStates.healed();
    }

    private static void awaitHealthyLink() {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> operator()
                        .get("/api/v1/links/homelab/cloud")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("healthy"))
                        .body("directions.find { it.from == 'cloud' }.agentsReady", equalTo(3))
                        .body("directions.find { it.from == 'homelab' }.agentsTotal", equalTo(2)));
    }

    static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
