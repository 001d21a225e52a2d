package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.HelmDryRun;
import io.clustermesh.controller.cilium.HelmRelease;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.operations.OperationContext;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.PlanExecutor;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.support.Api;
import io.clustermesh.controller.support.CiliumCharts;
import io.clustermesh.controller.support.HelmInstalledClustersResource;
import io.clustermesh.controller.support.HelmInstalls;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Helm mode end to end (issue 16, "Done when" #1): Cilium installed with real Helm from Cilium's own
 * charts (homelab 1.15.0, cloud 1.18.11); enable and connect through the REST API become new
 * revisions of each user's release, the link comes up healthy, a seed-style
 * {@code helm upgrade --reuse-values --set} keeps it, and disable gives back the user's values.
 * It is one test: a user's session, each step building on the last (revision numbers, values
 * before and after), so no other test depends on its order or state.
 */
@QuarkusTest
@QuarkusTestResource(value = HelmInstalledClustersResource.class, restrictToAnnotatedClass = true)
class HelmModeTest {
    @jakarta.inject.Inject
    PlanExecutor executor;

    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY);
    /** The values paths enable and connect add to a release that had none of them. */
    private static final Set<String> MESH_PATHS = Set.of(
            "clustermesh.useAPIServer",
            "clustermesh.apiserver.kvstoremesh.enabled",
            "clustermesh.apiserver.service.type",
            "clustermesh.apiserver.tls.auto.enabled",
            "tls.ca.cert",
            "tls.ca.key",
            "clustermesh.config.enabled",
            "clustermesh.config.clusters");

    private static final Map<String, ObjectNode> ORIGINAL = new HashMap<>();
    /** cloud's clustermesh-apiserver Deployment and Service as Helm mode's enable left them (before connect). */
    private static final List<JsonNode> CLOUD_ENABLED = new ArrayList<>();

    @Test
    void aUsersSessionThroughTheirHelmRelease(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        dryRunShowsTheValuesDiffAndTheObjectDiffAndWritesNothing();
        enableAndConnectAreNewRevisionsHoldingExactlyTheClustermeshSettings();
        aRerunWithConvergedValuesStillWaitsForTheApiserver();
        anUpgradePlannedFromAnOlderRevisionStopsWithConflictAndWritesNothing();
        aSeedStyleUpgradeByTheUserKeepsTheLinkHealthy();
        disconnectAndDisableGiveBackTheUsersValues();
        aGitOpsClusterGetsValuesThatRenderWhatHelmModeMade(dir);
    }

    private void dryRunShowsTheValuesDiffAndTheObjectDiffAndWritesNothing() {
        for (String name : List.of("homelab", "cloud")) {
            ORIGINAL.put(name, latest(name).config().deepCopy());
        }
        JsonPath plan = operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/clusters/homelab/clustermesh")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> upgrade = plan.getMap("plan.find { it.action == 'helm-upgrade' }");
        assertThat(upgrade).containsEntry("kind", "HelmRelease").containsEntry("name", HelmInstalls.RELEASE);
        @SuppressWarnings("unchecked")
        Map<String, Object> helm = (Map<String, Object>) upgrade.get("helm");
        assertThat((String) helm.get("valuesDiff"))
                .contains("clustermesh.useAPIServer: true", "clustermesh.apiserver.service.nodePort: 32379")
                .contains("tls.ca.key: \"(mesh CA, not shown)\"")
                // homelab is dialled through its router's port-forward: that address joins the server certificate.
                .contains("clustermesh.apiserver.tls.server.extraIpAddresses", "198.51.100.200")
                .doesNotContain("LS0tLS1CRUdJTi");
        assertThat(helm.get("added").toString())
                .contains("Deployment kube-system/clustermesh-apiserver", "Service kube-system/clustermesh-apiserver");
        // The same step names as the real run reports (MeshEngineTest's rule, for the Helm step too).
        assertThat(plan.getList("plan.step", String.class))
                .contains(
                        "homelab: helm upgrade kube-system/cilium (enable)",
                        "homelab: wait for clustermesh-apiserver ready");
        assertThat(latest("homelab").revision()).isEqualTo(1);
    }

    private void enableAndConnectAreNewRevisionsHoldingExactlyTheClustermeshSettings() {
        long started = System.nanoTime();
        JsonPath enabled = finished(
                        operator().put("/api/v1/clusters/homelab/clustermesh").then())
                .body("state", equalTo("succeeded"))
                .extract()
                .jsonPath();
        assertThat(enabled.getList("steps.name", String.class))
                .containsExactly(
                        "homelab: create Secret kube-system/clustermesh-controller-ca",
                        "homelab: helm upgrade kube-system/cilium (enable)",
                        "release lock 'shared mesh CA'",
                        "homelab: wait for clustermesh-apiserver ready");
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        CLOUD_ENABLED.addAll(apiserverObjects(SimulatedClustersResource.client("cloud")));
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
        long enableConnectMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("Helm mode enable both + connect: " + enableConnectMillis + " ms");

        for (String name : List.of("homelab", "cloud")) {
            List<HelmRelease> history = history(name);
            assertThat(history).extracting(HelmRelease::revision).containsExactly(1, 2, 3);
            assertThat(history)
                    .extracting(HelmRelease::description)
                    .endsWith("clustermesh-controller: enable", "clustermesh-controller: connect");
            HelmRelease now = history.get(2);
            assertThat(now.chartVersion()).isEqualTo(HelmInstalledClustersResource.VERSIONS.get(name));
            Set<String> changed = changedPaths(ORIGINAL.get(name), now.config());
            Set<String> expected = new java.util.TreeSet<>(MESH_PATHS);
            if (name.equals("homelab")) {
                expected.add("clustermesh.apiserver.service.nodePort");
                expected.add("clustermesh.apiserver.tls.server.extraIpAddresses");
            }
            assertThat(changed).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(latest("homelab")
                        .config()
                        .at("/clustermesh/config/clusters/0/name")
                        .asText())
                .isEqualTo("cloud");
        // One mesh CA for both releases: the one enable chose for homelab, given to cloud's chart too.
        assertThat(latest("cloud").config().at("/tls/ca/cert"))
                .isEqualTo(latest("homelab").config().at("/tls/ca/cert"));

        for (String name : List.of("homelab", "cloud")) {
            try (KubernetesClient client = SimulatedClustersResource.client(name)) {
                Deployment apiserver = client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName(CiliumNames.APISERVER)
                        .get();
                // The chart's own clustermesh-apiserver, not ours: Helm's ownership marks, none of ours.
                assertThat(apiserver.getMetadata().getAnnotations())
                        .containsEntry("meta.helm.sh/release-name", HelmInstalls.RELEASE);
                assertThat(apiserver.getMetadata().getLabels()).containsEntry(MeshLabels.MANAGED_BY_KEY, "Helm");
                String agentTag = tag(client.apps()
                        .daemonSets()
                        .inNamespace(NS)
                        .withName(CiliumNames.AGENT_DAEMONSET)
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage());
                assertThat(agentTag).isEqualTo("v" + HelmInstalledClustersResource.VERSIONS.get(name));
                assertThat(apiserver.getSpec().getTemplate().getSpec().getContainers())
                        .isNotEmpty()
                        .allSatisfy(c -> assertThat(tag(c.getImage())).isEqualTo(agentTag));
            }
        }
        // The certificate the chart issued for homelab's clustermesh-apiserver carries its declared endpoint.
        assertThat(serverCertificateNames("homelab")).contains("198.51.100.200", "*.mesh.cilium.io");
        assertThat(serverCertificateNames("cloud")).doesNotContain("198.51.100.200");
        awaitHealthy();
    }

    private static List<String> serverCertificateNames(String cluster) {
        try (KubernetesClient client = SimulatedClustersResource.client(cluster)) {
            Secret secret = client.secrets()
                    .inNamespace(NS)
                    .withName(CiliumNames.SERVER_CERT_SECRET)
                    .get();
            var cert = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder()
                            .decode(secret.getData().get("tls.crt"))));
            List<String> names = new ArrayList<>();
            cert.getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
            return names;
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Resume after a crash between an upgrade and its waits: the values are already converged, so no
     * upgrade is planned, yet the plan still waits while the clustermesh-apiserver is not ready.
     * Converged and ready plans nothing.
     */
    private void aRerunWithConvergedValuesStillWaitsForTheApiserver() {
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            var apiserver = cloud.apps().deployments().inNamespace(NS).withName(CiliumNames.APISERVER);
            int revision = latest("cloud").revision();
            apiserver.scale(0);
            try {
                assertThat(dryRunSteps(operator()
                                .body("{\"serviceType\":\"LoadBalancer\"}")
                                .queryParam("dryRun", "true")
                                .put("/api/v1/clusters/cloud/clustermesh")))
                        // The CA is already written: the shared-CA lock goes before the wait, as in direct mode.
                        .containsExactly(
                                "release lock 'shared mesh CA'", "cloud: wait for clustermesh-apiserver ready");
                assertThat(dryRunSteps(operator().queryParam("dryRun", "true").put("/api/v1/links/homelab/cloud")))
                        .containsExactly(
                                "cloud: wait for clustermesh-apiserver ready",
                                "cloud: wait for the agents to read the entries for [homelab]");
            } finally {
                apiserver.scale(1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ApiServerReadiness.isReady(apiserver.get()));
            assertThat(dryRunSteps(operator()
                            .body("{\"serviceType\":\"LoadBalancer\"}")
                            .queryParam("dryRun", "true")
                            .put("/api/v1/clusters/cloud/clustermesh")))
                    .isEmpty();
            assertThat(dryRunSteps(operator().queryParam("dryRun", "true").put("/api/v1/links/homelab/cloud")))
                    .isEmpty();
            assertThat(latest("cloud").revision()).isEqualTo(revision);
        }
        awaitHealthy();
    }

    /**
     * The revision check: a values change planned from an older revision (the user upgraded the
     * release between our plan and its run) stops with 409 conflict and writes nothing. Without the
     * check the upgrade would run and the revision below would move.
     */
    private void anUpgradePlannedFromAnOlderRevisionStopsWithConflictAndWritesNothing() {
        List<HelmRelease> before = history("cloud");
        HelmRelease older = before.get(before.size() - 2);
        String apiserverVersion;
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            apiserverVersion = cloud.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get()
                    .getMetadata()
                    .getResourceVersion();
        }
        ObjectNode values = older.config().deepCopy();
        values.withObject("/clustermesh").put("maxConnectedClusters", 511);
        var step = new Step.HelmValues("cloud", older, before.get(0), values, "connect", "stale plan", null);
        List<String> failed = new ArrayList<>();
        var op = new OperationContext() {
            public String operationId() {
                return "stale-revision-test";
            }

            public void plan(List<String> names) {}

            public void start(String name) {}

            public void succeed(String name, String message) {}

            public void fail(String name, String message) {
                failed.add(message);
            }

            public void addStep(String name) {}
        };
        assertThatThrownBy(() -> executor.run(new Plan("connect", "cloud", List.of(step), List.of()), op))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.CONFLICT))
                .hasMessageContaining("is at revision "
                        + before.get(before.size() - 1).revision() + ", not " + older.revision() + " as planned");
        assertThat(failed).hasSize(1);
        assertThat(ProblemType.CONFLICT.httpStatus()).isEqualTo(409);
        assertThat(ProblemType.CONFLICT.slug()).isEqualTo("conflict");
        assertThat(history("cloud"))
                .extracting(HelmRelease::revision)
                .containsExactlyElementsOf(
                        before.stream().map(HelmRelease::revision).toList());
        assertThat(latest("cloud").config())
                .isEqualTo(before.get(before.size() - 1).config());
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            assertThat(cloud.apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName(CiliumNames.APISERVER)
                            .get()
                            .getMetadata()
                            .getResourceVersion())
                    .isEqualTo(apiserverVersion);
        }
    }

    private static List<String> dryRunSteps(io.restassured.response.Response response) {
        return response.then().statusCode(200).extract().jsonPath().getList("plan.step", String.class);
    }

    private void aSeedStyleUpgradeByTheUserKeepsTheLinkHealthy() {
        new Helm(CiliumCharts.chart("1.15.0"))
                .upgrade()
                .withName(HelmInstalls.RELEASE)
                .withNamespace(NS)
                .withKubeConfigContents(HelmInstalls.kubeconfig(SimulatedClustersResource.cluster("homelab")))
                .disableOpenApiValidation()
                .reuseValues()
                .set("encryption.enabled", "true")
                .set("hubble.relay.enabled", "true")
                .call();
        assertThat(latest("homelab").revision()).isEqualTo(4);
        assertThat(latest("homelab").config().at("/clustermesh/useAPIServer").asBoolean())
                .isTrue();
        awaitHealthy();
        // Still healthy a while later: nothing of the mesh went with the user's upgrade. (3 s in a row of healthy
        // readings; a fresh reading execs into the agents and can take seconds on a loaded machine.)
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> operator()
                        .get("/api/v1/links/homelab/cloud")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("healthy")));
    }

    private void disconnectAndDisableGiveBackTheUsersValues() {
        finished(operator().delete("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
        for (String name : List.of("homelab", "cloud")) {
            finished(operator()
                            .delete("/api/v1/clusters/" + name + "/clustermesh")
                            .then())
                    .body("state", equalTo("succeeded"));
        }
        ObjectNode homelabExpected = ORIGINAL.get("homelab").deepCopy();
        homelabExpected.withObject("/hubble").withObject("/relay").put("enabled", true);
        assertThat(latest("homelab").config()).isEqualTo(homelabExpected);
        assertThat(latest("cloud").config()).isEqualTo(ORIGINAL.get("cloud"));
        assertThat(latest("cloud").description()).isEqualTo("clustermesh-controller: disable");
        for (String name : List.of("homelab", "cloud")) {
            try (KubernetesClient client = SimulatedClustersResource.client(name)) {
                assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName(CiliumNames.APISERVER)
                                .get())
                        .isNull();
                assertThat(client.secrets()
                                .inNamespace(NS)
                                .withName(ApiServerObjects.MESH_CA_SECRET)
                                .get())
                        .isNull();
            }
        }
        // Nothing left to do: a second disable plans no step.
        operator()
                .queryParam("dryRun", "true")
                .delete("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(200)
                .body("plan.size()", equalTo(0));
    }

    /**
     * Done when #3: Argo CD owns cloud's Cilium. Enable answers 409 with the values to commit and
     * writes nothing; those values, rendered by real Helm with the release's own chart and the user's
     * values (as Argo CD renders a Helm source), give the clustermesh-apiserver Helm mode made.
     */
    private void aGitOpsClusterGetsValuesThatRenderWhatHelmModeMade(Path dir) throws Exception {
        try (KubernetesClient cloud = SimulatedClustersResource.client("cloud")) {
            cloud.apps()
                    .daemonSets()
                    .inNamespace(NS)
                    .withName(CiliumNames.AGENT_DAEMONSET)
                    .edit(ds -> {
                        ds.getMetadata()
                                .getAnnotations()
                                .put(
                                        "argocd.argoproj.io/tracking-id",
                                        "cilium-cloud:apps/DaemonSet:kube-system/cilium");
                        return ds;
                    });
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        operator().get("/api/v1/clusters/cloud").then().body("ciliumOwner.kind", equalTo("argocd")));
        int revision = latest("cloud").revision();
        String values = operator()
                .body("{\"serviceType\":\"LoadBalancer\"}")
                .put("/api/v1/clusters/cloud/clustermesh")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/gitops-managed"))
                .extract()
                .path("values");
        assertThat(latest("cloud").revision()).isEqualTo(revision);

        HelmRelease release = latest("cloud");
        Path userValues = dir.resolve("user.yaml");
        Path snippet = dir.resolve("clustermesh.yaml");
        YAML.writeValue(userValues.toFile(), release.config());
        Files.writeString(snippet, values);
        List<JsonNode> rendered = new ArrayList<>();
        for (ObjectNode object : CiliumCharts.render("1.18.11", List.of(userValues, snippet), Map.of())) {
            if (CiliumNames.APISERVER.equals(object.at("/metadata/name").asText())
                    && Set.of("Deployment", "Service")
                            .contains(object.get("kind").asText())) {
                rendered.add(comparable(object));
            }
        }
        assertThat(rendered).hasSize(2).containsExactlyInAnyOrderElementsOf(CLOUD_ENABLED);
    }

    /** The clustermesh-apiserver Deployment's pod spec and the Service's type and ports, as read from the cluster. */
    private static List<JsonNode> apiserverObjects(KubernetesClient client) {
        List<JsonNode> objects = new ArrayList<>();
        for (var object : List.<io.fabric8.kubernetes.api.model.HasMetadata>of(
                client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName(CiliumNames.APISERVER)
                        .get(),
                client.services()
                        .inNamespace(NS)
                        .withName(CiliumNames.APISERVER)
                        .get())) {
            objects.add(comparable(JSON.valueToTree(object)));
        }
        return objects;
    }

    /** What both a render and the cluster's object say, without what the API server or the certificates add. */
    private static JsonNode comparable(JsonNode object) {
        ObjectNode kept = JSON.createObjectNode().put("kind", object.get("kind").asText());
        if ("Deployment".equals(object.get("kind").asText())) {
            ObjectNode pod = object.at("/spec/template/spec").deepCopy();
            kept.set("containers", pod.get("containers"));
            kept.set("initContainers", pod.get("initContainers"));
            kept.set("volumes", pod.get("volumes"));
        } else {
            kept.set("type", object.at("/spec/type"));
            kept.set("ports", object.at("/spec/ports"));
        }
        try {
            return JSON.readTree(JSON.writeValueAsString(kept));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitHealthy() {
        Api.awaitLinkStatus("homelab", "cloud", "healthy", Duration.ofSeconds(60));
    }

    /** Every values path whose value differs (set or removed), as dotted paths down to the leaves that changed. */
    static Set<String> changedPaths(ObjectNode before, ObjectNode after) {
        HelmDryRun diff = HelmDryRun.of(before, after, "", "");
        Set<String> paths = new java.util.TreeSet<>();
        try {
            var tree = YAML.readTree(diff.valuesDiff().isEmpty() ? "{}" : diff.valuesDiff());
            for (Iterator<String> it = tree.path("set").fieldNames(); it.hasNext(); ) {
                paths.add(it.next());
            }
            tree.path("removed").forEach(p -> paths.add(p.asText()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return paths;
    }

    static List<HelmRelease> history(String cluster) {
        try (KubernetesClient client = SimulatedClustersResource.client(cluster)) {
            List<Secret> records = new ArrayList<>(client.secrets()
                    .inNamespace(NS)
                    .withLabels(HelmRelease.recordsOf(HelmInstalls.RELEASE))
                    .list()
                    .getItems());
            return HelmRelease.history(records, HelmInstalls.RELEASE);
        }
    }

    static HelmRelease latest(String cluster) {
        List<HelmRelease> history = history(cluster);
        return history.get(history.size() - 1);
    }

    private static String tag(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        return withoutDigest.substring(withoutDigest.lastIndexOf(':') + 1);
    }
}
