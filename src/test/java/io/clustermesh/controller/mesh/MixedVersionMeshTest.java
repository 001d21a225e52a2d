package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.RemoteEndpoint;
import io.clustermesh.controller.support.CiliumCharts;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end on the demo's mixed mesh (homelab on Cilium 1.15.0, cloud on 1.18.11):
 * what enable and connect write into each simulated cluster equals what that cluster's own chart
 * renders, and the strict simulator starts it (a wrong argv would crash-loop and never get ready).
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.MixedVersions.class, restrictToAnnotatedClass = true)
class MixedVersionMeshTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;

    @Test
    void eachClusterGetsWhatItsOwnChartRendersAndTheLinkComesUp() {
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));

        // The demo's router forwards homelab's public 198.51.100.200:32379; cloud's load balancer is 203.0.113.10.
        assertMatchesChart(
                "homelab",
                "1.15.0",
                new ChartGoldenTest.Scenario(
                        "homelab",
                        "homelab",
                        1,
                        "NodePort",
                        true,
                        List.of(new ChartGoldenTest.Remote(
                                new RemoteEndpoint.ViaHostAliases("cloud", List.of("203.0.113.10"), 2379), null))));
        assertMatchesChart(
                "cloud",
                "1.18.11",
                new ChartGoldenTest.Scenario(
                        "cloud",
                        "cloud",
                        2,
                        "LoadBalancer",
                        true,
                        List.of(new ChartGoldenTest.Remote(
                                new RemoteEndpoint.ViaHostAliases("homelab", List.of("198.51.100.200"), 32379),
                                null))));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> operator()
                        .get("/api/v1/links/homelab/cloud")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("healthy")));
    }

    /** Issue 16 item 5: Argo CD owns cloud's Cilium; we never write there and answer with the values to commit. */
    @Test
    void aGitOpsManagedClusterGetsTheValuesToCommitAndNothingIsWritten() {
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            var daemonSet = cloud.apps().daemonSets().inNamespace(NS).withName(CiliumNames.AGENT_DAEMONSET);
            daemonSet.edit(ds -> {
                if (ds.getMetadata().getAnnotations() == null) {
                    ds.getMetadata().setAnnotations(new java.util.HashMap<>());
                }
                ds.getMetadata()
                        .getAnnotations()
                        .put("argocd.argoproj.io/tracking-id", "cilium-cloud:apps/DaemonSet:kube-system/cilium");
                return ds;
            });
            try {
                String before = objectVersions(cloud);
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> operator()
                                .get("/api/v1/clusters/cloud")
                                .then()
                                .statusCode(200)
                                .body("ciliumOwner.kind", equalTo("argocd"))
                                .body("ciliumOwner.name", equalTo("cilium-cloud")));
                operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then()
                        .statusCode(409)
                        .contentType("application/problem+json")
                        .body("type", equalTo("/problems/gitops-managed"))
                        .body("values", org.hamcrest.Matchers.containsString("useAPIServer: true"))
                        .body("values", org.hamcrest.Matchers.containsString("type: LoadBalancer"));
                operator()
                        .queryParam("force", "true")
                        .delete("/api/v1/clusters/cloud/clustermesh")
                        .then()
                        .statusCode(409)
                        .body("type", equalTo("/problems/gitops-managed"))
                        .body("values", org.hamcrest.Matchers.containsString("useAPIServer: false"));
                assertThat(objectVersions(cloud))
                        .as("nothing written in a GitOps-managed cluster")
                        .isEqualTo(before);
            } finally {
                daemonSet.edit(ds -> {
                    ds.getMetadata().getAnnotations().remove("argocd.argoproj.io/tracking-id");
                    return ds;
                });
            }
        }
    }

    private static String objectVersions(KubernetesClient client) {
        List<String> versions = new ArrayList<>();
        client.secrets()
                .inNamespace(NS)
                .list()
                .getItems()
                .forEach(o -> versions.add(
                        o.getMetadata().getName() + "@" + o.getMetadata().getResourceVersion()));
        // Status writes of the simulated controllers change resourceVersions; a write of ours changes the spec.
        client.apps()
                .deployments()
                .inNamespace(NS)
                .list()
                .getItems()
                .forEach(o -> versions.add(
                        o.getMetadata().getName() + "@" + o.getMetadata().getGeneration()));
        client.services()
                .inNamespace(NS)
                .list()
                .getItems()
                .forEach(o -> versions.add(o.getMetadata().getName() + "@" + Serialization.asJson(o.getSpec())));
        versions.sort(String::compareTo);
        return String.join(",", versions);
    }

    private static void assertMatchesChart(String cluster, String version, ChartGoldenTest.Scenario scenario) {
        Map<String, ObjectNode> chart =
                ChartGoldenTest.clustermeshObjectsOf(CiliumCharts.render(version, ChartGoldenTest.valuesFor(scenario)));
        List<String> differences = new ArrayList<>();
        try (KubernetesClient client = SimulatedClustersResource.client(cluster)) {
            for (var entry : chart.entrySet()) {
                String[] kindAndName = entry.getKey().split("/");
                HasMetadata written = read(client, kindAndName[0], kindAndName[1]);
                if (written == null) {
                    differences.add(entry.getKey() + ": the chart renders it, the engine did not write it");
                    continue;
                }
                JsonNode ours = ChartGoldenTest.normalize(withoutServerFields(written));
                JsonNode rendered = ChartGoldenTest.normalize(entry.getValue());
                ChartGoldenTest.compare(
                        entry.getKey(),
                        ChartGoldenTest.Deliberate.applyTo(entry.getKey(), rendered, rendered),
                        ChartGoldenTest.Deliberate.applyTo(entry.getKey(), ours, rendered),
                        differences);
            }
        }
        assertThat(differences)
                .as("%s (Cilium %s) against its chart", cluster, version)
                .isEmpty();
    }

    private static HasMetadata read(KubernetesClient client, String kind, String name) {
        return switch (kind) {
            case "Deployment" ->
                client.apps().deployments().inNamespace(NS).withName(name).get();
            case "Service" -> client.services().inNamespace(NS).withName(name).get();
            case "ServiceAccount" ->
                client.serviceAccounts().inNamespace(NS).withName(name).get();
            case "Secret" -> client.secrets().inNamespace(NS).withName(name).get();
            case "ConfigMap" ->
                client.configMaps().inNamespace(NS).withName(name).get();
            case "ClusterRole" -> client.rbac().clusterRoles().withName(name).get();
            case "ClusterRoleBinding" ->
                client.rbac().clusterRoleBindings().withName(name).get();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** What the API server adds (status, uid, resourceVersion, timestamps) is not what we wrote. */
    private static JsonNode withoutServerFields(HasMetadata object) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(Serialization.asJson(object));
            tree.remove("status");
            ObjectNode metadata = (ObjectNode) tree.get("metadata");
            List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields")
                    .forEach(metadata::remove);
            if ("Secret".equals(object.getKind())) {
                tree.remove("type");
            }
            return tree;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
