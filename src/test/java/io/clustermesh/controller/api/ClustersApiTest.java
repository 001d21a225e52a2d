package io.clustermesh.controller.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.support.CapturedLogs;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
class ClustersApiTest {

    private static io.restassured.specification.RequestSpecification viewer() {
        return given().header("Authorization", "Bearer " + SimulatedClustersResource.VIEWER_TOKEN);
    }

    @Test
    void listsSimulatedClustersWithIdentityReadFromTheirCiliumConfig() {
        viewer().get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .body("clusters.name", hasItems("homelab", "cloud"))
                .body("clusters.find { it.name == 'homelab' }.simulated", equalTo(true))
                .body("clusters.find { it.name == 'homelab' }.clusterId", equalTo(1))
                .body("clusters.find { it.name == 'cloud' }.clusterName", equalTo("cloud"))
                .body("clusters.find { it.name == 'cloud' }.ciliumVersion", equalTo("1.18.2"));
    }

    @Test
    void clusterIdentityFollowsTheClusterNotAConstant() {
        var cloud = SimulatedClustersResource.cluster("cloud");
        try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(null, readKubeconfig("cloud"), null))
                .build()) {
            var configMaps = client.configMaps()
                    .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                    .withName(CiliumNames.CONFIG_MAP);
            configMaps.edit(cm -> {
                cm.getData().put(CiliumNames.KEY_CLUSTER_ID, "42");
                return cm;
            });
            try {
                // The change reaches the service through its watch on the namespace: soon, not at once.
                await().atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> viewer().get("/api/v1/clusters/cloud")
                                .then()
                                .statusCode(200)
                                .body("clusterId", equalTo(42)));
            } finally {
                configMaps.edit(cm -> {
                    cm.getData().put(CiliumNames.KEY_CLUSTER_ID, Integer.toString(cloud.clusterId()));
                    return cm;
                });
                await().atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> viewer().get("/api/v1/clusters/cloud")
                                .then()
                                .statusCode(200)
                                .body("clusterId", equalTo(cloud.clusterId())));
            }
        }
    }

    @Test
    void unknownClusterIsAProblemDocument() {
        viewer().get("/api/v1/clusters/nowhere")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/unknown-cluster"))
                .body("status", equalTo(404))
                .body("field", equalTo("cluster"))
                .body("title", equalTo("Unknown cluster"));
    }

    @Test
    void clusterNameThatIsNotADnsLabelIsRefused() {
        viewer().get("/api/v1/clusters/Home_Lab")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-cluster-name"))
                .body("field", equalTo("cluster"));
    }

    @Test
    void unknownRouteIsAProblemDocumentToo() {
        viewer().get("/api/v1/nothing-here")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found"));
    }

    @Test
    void hotReloadPicksUpAddedChangedAndRemovedFiles() throws Exception {
        Path dir = SimulatedClustersResource.kubeconfigDir();
        Path extra = dir.resolve("lab2");
        String cloudConfig = readKubeconfig("cloud")
                .replace("name: cloud", "name: lab2")
                .replace("cluster: cloud", "cluster: lab2")
                .replace("current-context: cloud", "current-context: lab2");
        Files.writeString(extra, cloudConfig);
        try {
            awaitCluster("lab2", "cloud");
            String homelabServer = SimulatedClustersResource.cluster("homelab").serverUrl();
            String cloudServer = SimulatedClustersResource.cluster("cloud").serverUrl();
            Files.writeString(extra, cloudConfig.replace(cloudServer, homelabServer));
            awaitCluster("lab2", "homelab");
        } finally {
            Files.delete(extra);
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(viewer().get("/api/v1/clusters")
                                .then()
                                .extract()
                                .<List<String>>path("clusters.name"))
                        .doesNotContain("lab2"));
    }

    @Test
    void brokenFileIsListedAsAnErrorAndTheOthersStay() throws Exception {
        Path broken = SimulatedClustersResource.kubeconfigDir().resolve("zz-broken");
        Files.writeString(broken, "contexts: [ {{{ not yaml");
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var body =
                        viewer().get("/api/v1/clusters").then().statusCode(200).extract();
                assertThat(body.<List<String>>path("errors.source")).contains(broken.toString());
                assertThat(body.<List<String>>path("clusters.name")).contains("homelab", "cloud");
            });
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    void credentialsNeverAppearInResponsesOrLogs() throws Exception {
        Map<String, String> secrets = Map.of(
                "token", "tok-9d8c7b6a5f4e3d2c1b0a",
                "password", "pw-correct-horse-battery",
                "execEnv", "env-secret-ABCDEF123456",
                "clientKey",
                        "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Z0lCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDQktnd2dnU2tBZ0VBQW9JQkFRQzc=");
        String server = SimulatedClustersResource.cluster("cloud").serverUrl();
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - {name: c, cluster: {server: "%1$s"}}
                contexts:
                - {name: with-token, context: {cluster: c, user: token-user}}
                - {name: with-password, context: {cluster: c, user: basic-user}}
                - {name: with-exec, context: {cluster: c, user: exec-user}}
                - {name: with-key, context: {cluster: c, user: key-user}}
                users:
                - {name: token-user, user: {token: "%2$s"}}
                - {name: basic-user, user: {username: admin, password: "%3$s"}}
                - name: exec-user
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: /nonexistent/credential-helper
                      env: [{name: SECRET_ENV, value: "%4$s"}]
                - {name: key-user, user: {client-certificate-data: "%5$s", client-key-data: "%5$s"}}
                """.formatted(
                        server,
                        secrets.get("token"),
                        secrets.get("password"),
                        secrets.get("execEnv"),
                        secrets.get("clientKey"));
        Path file = SimulatedClustersResource.kubeconfigDir().resolve("secrets");
        try (CapturedLogs logs = CapturedLogs.install()) {
            Files.writeString(file, kubeconfig);
            try {
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(viewer().get("/api/v1/clusters")
                                        .then()
                                        .extract()
                                        .<List<String>>path("clusters.name"))
                                .contains("with-token"));
                StringBuilder seen =
                        new StringBuilder(viewer().get("/api/v1/clusters").asString());
                for (String name : List.of("with-token", "with-password", "with-exec", "with-key")) {
                    seen.append(viewer().get("/api/v1/clusters/" + name).asString());
                }
                seen.append(logs.all());
                secrets.forEach(
                        (kind, secret) -> assertThat(seen.toString()).as(kind).doesNotContain(secret));
            } finally {
                Files.delete(file);
            }
        }
    }

    private static void awaitCluster(String name, String expectedCiliumName) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> viewer().get("/api/v1/clusters/" + name)
                        .then()
                        .statusCode(200)
                        .body("clusterName", equalTo(expectedCiliumName)));
    }

    private static String readKubeconfig(String name) {
        try {
            return Files.readString(SimulatedClustersResource.kubeconfigDir().resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
