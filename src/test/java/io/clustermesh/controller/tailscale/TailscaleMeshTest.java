package io.clustermesh.controller.tailscale;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.pki.Pem;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.clustermesh.controller.tailscale.support.FakeControlApiResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 2: the mesh carried by Tailscale. Enable exposes each clustermesh-apiserver
 * through the (simulated) Tailscale operator; connect creates, in each dialing cluster, the
 * operator's egress Service for the remote's MagicDNS name and points kvstoremesh at it instead of
 * a host alias to a 100.x address no pod can route to; disconnect removes it. The link's data plane
 * carries the route coverage read from the fake control API (API v2 devices and routes).
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeControlApiResource.class, restrictToAnnotatedClass = true)
class TailscaleMeshTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final String TAILNET = ".tail4e2a9.ts.net";
    private static final String TAILSCALE = "{\"serviceType\":\"Tailscale\"}";

    @Test
    void enableExposesTheApiServerThroughTheOperatorAndTheCertificateNamesTheTailnetPaths() throws Exception {
        MeshStates.disconnected("homelab", "cloud");
        // A cloud LoadBalancer first: its class cannot change in place, so the Service is re-created.
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        List<String> plan = operator()
                .queryParam("dryRun", "true")
                .body("{\"serviceType\":\"Tailscale\"}")
                .put("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(200)
                .extract()
                .path("plan.findAll { it.kind == 'Service' && it.name == 'clustermesh-apiserver' }.action");
        assertThat(plan).containsExactly("delete", "create");
        for (String cluster : List.of("homelab", "cloud")) {
            finished(operator()
                            .body("{\"serviceType\":\"Tailscale\"}")
                            .put("/api/v1/clusters/" + cluster + "/clustermesh")
                            .then())
                    .body("state", equalTo("succeeded"));
        }
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            Service service = cloud.services()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get();
            assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
            assertThat(service.getSpec().getLoadBalancerClass()).isEqualTo("tailscale");
            assertThat(service.getMetadata().getAnnotations())
                    .containsEntry("tailscale.com/hostname", "clustermesh-cloud");
            awaitTheProxysTailnetName(cloud);
            Service exposed = cloud.services()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get();
            assertThat(TailscaleExposure.tailnetFqdn(exposed)).contains("clustermesh-cloud" + TAILNET);
            assertThat(TailscaleExposure.tailnetIp(exposed).orElseThrow()).startsWith("100.");
            assertThat(TailscaleExposure.proxyReady(exposed).orElseThrow().getReason())
                    .isEqualTo("ProxyCreated");
            assertThat(serverNames(cloud)).contains("clustermesh-apiserver-cloud.kube-system.svc", "clustermesh-cloud");
        }
        // Once the proxy has logged in, enable again adds the MagicDNS name the operator published.
        finished(operator()
                        .body("{\"serviceType\":\"Tailscale\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            assertThat(serverNames(cloud)).contains("clustermesh-cloud" + TAILNET);
        }
    }

    @Test
    void connectCreatesTheEgressServiceAndPointsKvstoremeshAtIt() {
        exposedOnTheTailnet();
        MeshStates.disconnected("homelab", "cloud");
        finished(operator().put("/api/v1/links/homelab/cloud").then())
                .body("state", equalTo("succeeded"))
                .body(
                        "steps.name",
                        org.hamcrest.Matchers.hasItem(
                                "homelab: wait for Tailscale egress proxy kube-system/clustermesh-apiserver-cloud"));
        try (KubernetesClient homelab = SimulatedClustersResource.client("homelab")) {
            Service egress = homelab.services()
                    .inNamespace(NS)
                    .withName("clustermesh-apiserver-cloud")
                    .get();
            assertThat(egress.getMetadata().getAnnotations())
                    .containsEntry("tailscale.com/tailnet-fqdn", "clustermesh-cloud" + TAILNET)
                    .containsEntry("tailscale.com/hostname", "cm-homelab-to-cloud")
                    .doesNotContainKey("tailscale.com/tailnet-ip");
            // The operator took over the placeholder: a CNAME to its proxy's headless Service.
            assertThat(egress.getSpec().getType()).isEqualTo("ExternalName");
            assertThat(egress.getSpec().getExternalName())
                    .startsWith("ts-clustermesh-apiserver-cloud-")
                    .endsWith(".tailscale.svc.cluster.local");
            assertThat(TailscaleExposure.proxyReady(egress).orElseThrow().getStatus())
                    .isEqualTo("True");

            String entry = decode(homelab.secrets()
                    .inNamespace(NS)
                    .withName(CiliumNames.KVSTOREMESH_SECRET)
                    .get()
                    .getData()
                    .get("cloud"));
            assertThat(entry).contains("https://clustermesh-apiserver-cloud.kube-system.svc:2379");
            var aliases = homelab.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getHostAliases();
            assertThat(aliases == null ? List.of() : aliases)
                    .as("no host alias to a tailnet address")
                    .isEmpty();
        }
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            assertThat(cloud.services()
                            .inNamespace(NS)
                            .withName("clustermesh-apiserver-homelab")
                            .get()
                            .getMetadata()
                            .getAnnotations())
                    .containsEntry("tailscale.com/tailnet-fqdn", "clustermesh-homelab" + TAILNET);
        }
        var link = awaitBothDirectionsReady();
        // homelab -> cloud: cloud's router advertises 172.31.2.0/24, not approved: offered with the full set to send.
        assertThat(link.getList("directions.find { it.from == 'homelab' }.dataPlane.tailnet.nodes.path", String.class))
                .hasSize(3)
                .containsOnly("none");
        assertThat(link.getList(
                        "directions.find { it.from == 'homelab' }.dataPlane.tailnet.approve.deviceId", String.class))
                .containsExactly("nCdSb9rt31CNTRL");
        assertThat(link.getList(
                        "directions.find { it.from == 'homelab' }.dataPlane.tailnet.approve[0].routes", String.class))
                .containsExactly("172.31.2.0/24");
        // cloud -> homelab: homelab's nodes sit in the approved route of an online router.
        assertThat(link.getList("directions.find { it.from == 'cloud' }.dataPlane.tailnet.nodes.path", String.class))
                .hasSize(2)
                .containsOnly("subnet-route");
        assertThat(link.getList("directions.find { it.from == 'cloud' }.dataPlane.tailnet.nodes.route", String.class))
                .containsOnly("192.168.1.0/24");
        assertThat(link.getList("directions.find { it.from == 'cloud' }.dataPlane.tailnet.approve", Object.class))
                .isEmpty();
        // Re-running converges: nothing left to write.
        operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/links/homelab/cloud")
                .then()
                .statusCode(200)
                .body("plan", equalTo(List.of()));
    }

    @Test
    void withoutTheEgressProxyNoPodReachesTheTailnet() {
        connectedThroughTheTailnet();
        try (KubernetesClient homelab = SimulatedClustersResource.client("homelab")) {
            homelab.services()
                    .inNamespace(NS)
                    .withName("clustermesh-apiserver-cloud")
                    .delete();
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(viewer().get("/api/v1/links/homelab/cloud")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getString("directions.find { it.from == 'homelab' }.status"))
                        .isEqualTo("not-ready"));
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
        awaitBothDirectionsReady();
    }

    @Test
    void aServerCertificateWithoutTheEgressNameBreaksTheLinkAndEnableRepairsIt() {
        connectedThroughTheTailnet();
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            var caSecret = cloud.secrets()
                    .inNamespace(NS)
                    .withName("clustermesh-controller-ca")
                    .get();
            var ca = io.clustermesh.controller.pki.CertificateAuthority.load(
                    decode(caSecret.getData().get("ca.crt")),
                    decode(caSecret.getData().get("ca.key")));
            var narrow =
                    ca.issue(io.clustermesh.controller.pki.ClusterMeshCertificates.server(NS, List.of(), List.of()));
            cloud.secrets()
                    .inNamespace(NS)
                    .withName(CiliumNames.SERVER_CERT_SECRET)
                    .edit(s -> {
                        s.getData()
                                .put(
                                        "tls.crt",
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        narrow.certificatePem().getBytes(StandardCharsets.UTF_8)));
                        s.getData()
                                .put(
                                        "tls.key",
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        narrow.privateKeyPem().getBytes(StandardCharsets.UTF_8)));
                        return s;
                    });
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(viewer().get("/api/v1/links/homelab/cloud")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getString("directions.find { it.from == 'homelab' }.status"))
                        .isEqualTo("not-ready"));
        finished(operator()
                        .body("{\"serviceType\":\"Tailscale\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        awaitBothDirectionsReady();
    }

    @Test
    void theSimulatedOperatorRefusesWhatTheOperatorRefuses() {
        try (KubernetesClient homelab = SimulatedClustersResource.client("homelab")) {
            homelab.services()
                    .inNamespace("default")
                    .resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName("both")
                            .withNamespace("default")
                            .addToAnnotations("tailscale.com/tailnet-fqdn", "db.tail4e2a9.ts.net")
                            .addToAnnotations("tailscale.com/tailnet-ip", "100.64.0.9")
                            .endMetadata()
                            .withNewSpec()
                            .withType("ExternalName")
                            .withExternalName("placeholder")
                            .endSpec()
                            .build())
                    .create();
            homelab.services()
                    .inNamespace("default")
                    .resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName("not-magic")
                            .withNamespace("default")
                            .addToAnnotations("tailscale.com/tailnet-fqdn", "db.example.com")
                            .endMetadata()
                            .withNewSpec()
                            .withType("ExternalName")
                            .withExternalName("placeholder")
                            .endSpec()
                            .build())
                    .create();
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                for (String name : List.of("both", "not-magic")) {
                    Service s = homelab.services()
                            .inNamespace("default")
                            .withName(name)
                            .get();
                    var ready = TailscaleExposure.proxyReady(s).orElseThrow();
                    assertThat(ready.getStatus()).isEqualTo("False");
                    assertThat(ready.getReason()).isEqualTo("ProxyInvalid");
                    assertThat(s.getSpec().getExternalName()).as("left alone").isEqualTo("placeholder");
                }
            });
            assertThat(TailscaleExposure.proxyReady(homelab.services()
                                    .inNamespace("default")
                                    .withName("both")
                                    .get())
                            .orElseThrow()
                            .getMessage())
                    .contains(
                            "only one of annotations tailscale.com/tailnet-ip and tailscale.com/tailnet-fqdn can be set");
            assertThat(TailscaleExposure.proxyReady(homelab.services()
                                    .inNamespace("default")
                                    .withName("not-magic")
                                    .get())
                            .orElseThrow()
                            .getMessage())
                    .contains("does not appear to be a valid MagicDNS name");
        }
    }

    @Test
    void disconnectRemovesTheEgressServices() {
        connectedThroughTheTailnet();
        finished(operator().delete("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
        try (KubernetesClient homelab = SimulatedClustersResource.client("homelab");
                KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            assertThat(homelab.services()
                            .inNamespace(NS)
                            .withName("clustermesh-apiserver-cloud")
                            .get())
                    .isNull();
            assertThat(cloud.services()
                            .inNamespace(NS)
                            .withName("clustermesh-apiserver-homelab")
                            .get())
                    .isNull();
        }
    }

    /**
     * Both clustermesh-apiservers exposed through the operator, and cloud's certificate re-issued
     * with the MagicDNS name its proxy published once it had logged in.
     */
    private static void exposedOnTheTailnet() {
        MeshStates.enabled("homelab", TAILSCALE);
        MeshStates.enabled("cloud", TAILSCALE);
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            awaitTheProxysTailnetName(cloud);
        }
        MeshStates.enabled("cloud", TAILSCALE);
    }

    /** The first reading of the link with both directions ready: later assertions use it rather than read again. */
    private static io.restassured.path.json.JsonPath awaitBothDirectionsReady() {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> viewer().get("/api/v1/links/homelab/cloud")
                                .then()
                                .extract()
                                .jsonPath(),
                        link -> List.of("ready", "ready").equals(link.getList("directions.status")));
    }

    /** Waits until the operator's proxy for cloud's clustermesh-apiserver has logged in and published its MagicDNS name. */
    private static void awaitTheProxysTailnetName(KubernetesClient cloud) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TailscaleExposure.tailnetFqdn(cloud.services()
                                .inNamespace(NS)
                                .withName(CiliumNames.APISERVER)
                                .get())
                        .isPresent());
    }

    /** Exposed on the tailnet and connected, both directions ready. */
    private static void connectedThroughTheTailnet() {
        exposedOnTheTailnet();
        MeshStates.connected("homelab", "cloud");
        awaitBothDirectionsReady();
    }

    private static List<String> serverNames(KubernetesClient client) throws Exception {
        String pem = decode(client.secrets()
                .inNamespace(NS)
                .withName(CiliumNames.SERVER_CERT_SECRET)
                .get()
                .getData()
                .get("tls.crt"));
        List<String> names = new ArrayList<>();
        Pem.parseCertificate(pem).getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
        return names;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
