package io.clustermesh.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.ReleaseHistory;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.HelmReleaseRecord;
import io.clustermesh.controller.support.HelmInstalls;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Helm (helm-java) against simulated clusters: {@code helm install} of Cilium's own charts
 * writes its release record (a protobuf POST), the rendered objects, and patches the agent
 * DaemonSet and cilium-config it adopts (strategic merge patches); {@code helm list}/{@code history}
 * read them back, and a seed-style {@code helm upgrade --reuse-values --set} makes revision 2. The
 * simulated API server refuses what a real one refuses.
 */
class HelmInstallTest {
    private static SimulatedCluster homelab;
    private static SimulatedCluster cloud;

    @BeforeAll
    static void install() {
        homelab = SimulatedCluster.startIndexed(0);
        cloud = SimulatedCluster.startIndexed(1);
        HelmInstalls.install(homelab, "1.15.0", HelmInstalls.clusterValues(homelab));
        HelmInstalls.install(cloud, "1.18.11", HelmInstalls.clusterValues(cloud));
    }

    @AfterAll
    static void close() {
        homelab.close();
        cloud.close();
    }

    @Test
    void helmListAndHistorySeeTheInstalledReleases() {
        for (var installed : List.of(new Object[] {homelab, "cilium-1.15.0"}, new Object[] {cloud, "cilium-1.18.11"})) {
            SimulatedCluster cluster = (SimulatedCluster) installed[0];
            List<Release> releases = Helm.list()
                    .withNamespace(CiliumNames.DEFAULT_NAMESPACE)
                    .withKubeConfigContents(HelmInstalls.kubeconfig(cluster))
                    .call();
            assertThat(releases).singleElement().satisfies(r -> {
                assertThat(r.getName()).isEqualTo(HelmInstalls.RELEASE);
                assertThat(r.getStatus()).isEqualTo("deployed");
                assertThat(r.getChart()).isEqualTo(installed[1]);
            });
            List<ReleaseHistory> history = Helm.history(HelmInstalls.RELEASE)
                    .withNamespace(CiliumNames.DEFAULT_NAMESPACE)
                    .withKubeConfigContents(HelmInstalls.kubeconfig(cluster))
                    .call();
            assertThat(history).isNotEmpty();
            assertThat(history.get(0).getRevision()).isEqualTo(1);
        }
    }

    @Test
    void theReleaseRecordAndTheRenderedObjectsAreInTheCluster() {
        try (KubernetesClient client = client(homelab)) {
            var records = client
                    .secrets()
                    .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                    .withLabels(HelmReleaseRecord.SELECTOR)
                    .list()
                    .getItems()
                    .stream()
                    .map(HelmReleaseRecord::decode)
                    .flatMap(java.util.Optional::stream)
                    .toList();
            assertThat(records).anySatisfy(r -> {
                assertThat(r.chartVersion()).isEqualTo("1.15.0");
                assertThat(r.holdsCiliumDaemonSet()).isTrue();
            });
            // The seeded agent DaemonSet was adopted and patched to the chart's own (image v1.15.0 by digest).
            var agent = client.apps()
                    .daemonSets()
                    .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                    .withName(CiliumNames.AGENT_DAEMONSET)
                    .get();
            assertThat(agent.getSpec().getTemplate().getSpec().getContainers())
                    .anySatisfy(c -> assertThat(c.getImage()).contains(":v1.15.0"));
            assertThat(agent.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "cilium");
            assertThat(client.apps()
                            .deployments()
                            .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                            .withName("cilium-operator")
                            .get())
                    .isNotNull();
            assertThat(client.configMaps()
                            .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                            .withName(CiliumNames.CONFIG_MAP)
                            .get()
                            .getData())
                    .containsEntry(CiliumNames.KEY_CLUSTER_NAME, "homelab")
                    .containsEntry(CiliumNames.KEY_CLUSTER_ID, "1");
        }
    }

    @Test
    void aSeedStyleUpgradeWithReuseValuesMakesRevisionTwo() {
        SimulatedCluster sim = SimulatedCluster.startIndexed(2);
        try (sim) {
            HelmInstalls.install(sim, "1.18.11", HelmInstalls.clusterValues(sim));
            Release upgraded = new Helm(io.clustermesh.controller.support.CiliumCharts.chart("1.18.11"))
                    .upgrade()
                    .withName(HelmInstalls.RELEASE)
                    .withNamespace(CiliumNames.DEFAULT_NAMESPACE)
                    .withKubeConfigContents(HelmInstalls.kubeconfig(sim))
                    .disableOpenApiValidation()
                    .reuseValues()
                    .set("hubble.relay.enabled", "true")
                    .call();
            assertThat(upgraded.getRevision()).isEqualTo("2");
            try (KubernetesClient client = client(sim)) {
                assertThat(client.apps()
                                .deployments()
                                .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                                .withName("hubble-relay")
                                .get())
                        .isNotNull();
                // --reuse-values kept the install's values.
                assertThat(client.configMaps()
                                .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                                .withName(CiliumNames.CONFIG_MAP)
                                .get()
                                .getData())
                        .containsEntry(CiliumNames.KEY_CLUSTER_NAME, sim.name())
                        .containsEntry(CiliumNames.KEY_ENABLE_WIREGUARD, "true");
            }
        }
    }

    @Test
    void malformedOrUnknownProtobufIsRefusedAndNothingIsWritten() throws Exception {
        String secrets = homelab.serverUrl() + "/api/v1/namespaces/kube-system/secrets";
        // No k8s\0 magic: 400, as a real API server answers.
        assertThat(post(secrets, HexFormat.of().parseHex("0a0476310a")).statusCode())
                .isEqualTo(400);
        // Magic, then a length beyond the body.
        assertThat(post(secrets, HexFormat.of().parseHex("6b38730012ff01")).statusCode())
                .isEqualTo(400);
        // A well-formed envelope of a kind the simulator does not decode (v1 ConfigMap): 415.
        byte[] configMap = HexFormat.of().parseHex("6b3873000a0f0a0276311209436f6e6669674d6170" + "1200");
        assertThat(post(secrets, configMap).statusCode()).isEqualTo(415);
        // A strategic merge patch with an unknown directive: 400.
        HttpResponse<String> patched = send(HttpRequest.newBuilder(
                        URI.create(homelab.serverUrl() + "/api/v1/namespaces/kube-system/configmaps/cilium-config"))
                .header("Content-Type", "application/strategic-merge-patch+json")
                .header("Authorization", "Bearer x")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"$bogus\":\"1\"}}"))
                .build());
        assertThat(patched.statusCode()).isEqualTo(400);
        try (KubernetesClient client = client(homelab)) {
            assertThat(client.configMaps()
                            .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                            .withName(CiliumNames.CONFIG_MAP)
                            .get()
                            .getData())
                    .doesNotContainKey("$bogus");
        }
    }

    private static HttpResponse<String> post(String url, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.kubernetes.protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static KubernetesClient client(SimulatedCluster cluster) {
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(HelmInstalls.kubeconfig(cluster)))
                .build();
    }
}
