package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.marcnuri.helm.Helm;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.support.Api;
import io.clustermesh.controller.support.CiliumCharts;
import io.clustermesh.controller.support.HelmInstalls;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hand-over (issue 16 item 4, "Done when" #2): homelab was enabled and connected in direct mode; the
 * user then installs Cilium's chart over it with real Helm, and enable runs again. Helm takes every
 * clustermesh object over in place, the mesh CA stays, the link reads healthy at every reading
 * throughout, and a later {@code helm upgrade} of the release succeeds.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.MixedVersions.class, restrictToAnnotatedClass = true)
class HelmHandOverTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;

    @Test
    void aDirectlyEnabledClusterMovesIntoItsHelmReleaseWithTheLinkUpThroughout() throws Exception {
        Api.enableAndConnectHomelabAndCloud();
        Api.awaitLinkStatus("homelab", "cloud", "healthy", Duration.ofSeconds(60));
        String caBefore = caOf("homelab");

        var homelab = SimulatedClustersResource.cluster("homelab");
        HelmInstalls.install(homelab, "1.15.0", HelmInstalls.clusterValues(homelab));
        Api.awaitLinkStatus("homelab", "cloud", "healthy", Duration.ofSeconds(60));

        List<String> readings = Collections.synchronizedList(new ArrayList<>());
        var watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(
                () -> {
                    var link = operator()
                            .get("/api/v1/links/homelab/cloud")
                            .then()
                            .extract()
                            .jsonPath();
                    readings.add(link.getString("status") + ": " + link.getString("reason"));
                },
                0,
                200,
                TimeUnit.MILLISECONDS);
        List<String> steps;
        try {
            steps = finished(operator()
                            .put("/api/v1/clusters/homelab/clustermesh")
                            .then())
                    .body("state", equalTo("succeeded"))
                    .extract()
                    .jsonPath()
                    .getList("steps.name", String.class);
            Thread.sleep(3000);
        } finally {
            watcher.shutdownNow();
            watcher.awaitTermination(5, TimeUnit.SECONDS);
        }
        // The link never goes down. The chart's clustermesh-apiserver replaces ours by a rolling update,
        // and the service's own endpoint probe (every 5 s) may catch the NodePort while the new pod
        // takes over: one short non-healthy blip is allowed, a lasting one is not (taking the links
        // out of the values reads degraded from the upgrade on, and fails here).
        assertThat(readings).hasSizeGreaterThan(5).noneMatch(r -> r.startsWith("down"));
        assertThat(longestNonHealthyRun(readings))
                .as("consecutive non-healthy readings (200 ms apart): %s", readings)
                .isLessThanOrEqualTo(2);
        assertThat(readings.get(readings.size() - 1)).startsWith("healthy");
        assertThat(steps)
                .contains(
                        "homelab: update Deployment kube-system/clustermesh-apiserver",
                        "homelab: helm upgrade kube-system/cilium (enable)",
                        "homelab: wait for the agents to read the entries for [cloud]");

        // The mesh CA is kept, given to the chart as tls.ca.
        assertThat(caOf("homelab")).isEqualTo(caBefore);
        assertThat(new String(
                        Base64.getDecoder()
                                .decode(HelmModeTest.latest("homelab")
                                        .config()
                                        .at("/tls/ca/cert")
                                        .asText()),
                        StandardCharsets.UTF_8))
                .isEqualTo(caBefore);

        try (KubernetesClient client = SimulatedClustersResource.client("homelab")) {
            List<HasMetadata> meshObjects = new ArrayList<>();
            meshObjects.add(client.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get());
            meshObjects.add(client.services()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get());
            for (String secret : List.of(
                    CiliumNames.CLUSTERMESH_SECRET,
                    CiliumNames.KVSTOREMESH_SECRET,
                    CiliumNames.SERVER_CERT_SECRET,
                    CiliumNames.REMOTE_CERT_SECRET,
                    CiliumNames.ADMIN_CERT_SECRET)) {
                meshObjects.add(
                        client.secrets().inNamespace(NS).withName(secret).get());
            }
            assertThat(meshObjects).allSatisfy(object -> {
                assertThat(object.getMetadata().getLabels())
                        .containsEntry(MeshLabels.MANAGED_BY_KEY, CiliumNames.HELM_MANAGED_BY_VALUE);
                assertThat(object.getMetadata().getAnnotations())
                        .containsEntry(CiliumNames.HELM_RELEASE_ANNOTATION, HelmInstalls.RELEASE);
            });
            // Of ours only the mesh CA copy is left (where the other clusters and the CA rotation read it).
            var ours = java.util.Map.of(MeshLabels.MANAGED_BY_KEY, MeshLabels.MANAGED_BY_VALUE);
            List<String> left = new ArrayList<>();
            for (Class<? extends HasMetadata> kind : List.of(Deployment.class, Service.class, Secret.class)) {
                client.resources(kind).inNamespace(NS).withLabels(ours).list().getItems().stream()
                        .map(o -> o.getKind() + " " + o.getMetadata().getName())
                        .forEach(left::add);
            }
            assertThat(left).containsExactly("Secret " + ApiServerObjects.MESH_CA_SECRET);
        }

        // Helm owns them now: the user's next upgrade of the release goes through and keeps the mesh.
        new Helm(CiliumCharts.chart("1.15.0"))
                .upgrade()
                .withName(HelmInstalls.RELEASE)
                .withNamespace(NS)
                .withKubeConfigContents(HelmInstalls.kubeconfig(homelab))
                .disableOpenApiValidation()
                .reuseValues()
                .set("hubble.relay.enabled", "true")
                .call();
        Api.awaitLinkStatus("homelab", "cloud", "healthy", Duration.ofSeconds(60));

        // homelab is in Helm mode now, cloud still direct: connect refuses and says what to do.
        operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/links/homelab/cloud")
                .then()
                .statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("incompatible-clusters"))
                .body("field", equalTo("clusters"))
                .body(
                        "detail",
                        org.hamcrest.Matchers.allOf(
                                org.hamcrest.Matchers.containsString("but not in [cloud]"),
                                org.hamcrest.Matchers.containsString("helm install cilium cilium/cilium"),
                                org.hamcrest.Matchers.containsString("then enable it again")));
    }

    private static String caOf(String cluster) {
        try (KubernetesClient client = SimulatedClustersResource.client(cluster)) {
            Secret ca = client.secrets()
                    .inNamespace(NS)
                    .withName(ApiServerObjects.MESH_CA_SECRET)
                    .get();
            return new String(Base64.getDecoder().decode(ca.getData().get(CiliumNames.CA_CRT)), StandardCharsets.UTF_8);
        }
    }

    private static int longestNonHealthyRun(List<String> readings) {
        int longest = 0;
        int run = 0;
        for (String reading : readings) {
            run = reading.startsWith("healthy") ? 0 : run + 1;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
