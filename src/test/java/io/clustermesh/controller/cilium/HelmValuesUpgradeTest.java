package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.sim.SimulatedCluster;
import io.clustermesh.controller.support.CiliumCharts;
import io.clustermesh.controller.support.HelmInstalls;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Helm mode against real Helm: a user's release of Cilium 1.15.0 (installed by helm-java into a
 * simulated cluster) is changed through its own values, rendered with the chart from its release
 * record. Each of our revisions holds the user's values plus exactly the clustermesh settings; a
 * seed-style {@code --reuse-values --set} keeps them; disable gives back the user's values.
 */
class HelmValuesUpgradeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void enableConnectSeedUpgradeAndDisableAreRevisionsOfTheUsersRelease() {
        try (SimulatedCluster homelab = SimulatedCluster.startIndexed(0);
                KubernetesClient client = client(homelab)) {
            Map<String, String> userValues = HelmInstalls.clusterValues(homelab);
            HelmInstalls.install(homelab, "1.15.0", userValues);
            HelmRelease installed = latest(client);
            ObjectNode original = installed.config();
            assertThat(installed.chartVersion()).isEqualTo("1.15.0");
            HelmValuesUpgrade helm = new HelmValuesUpgrade(HelmInstalls.kubeconfig(homelab), false);
            CertificateAuthority ca =
                    CertificateAuthority.generate("Cilium CA", Duration.ofDays(365), Clock.systemUTC());

            ObjectNode enabled = HelmMeshValues.enable(
                    original,
                    new HelmMeshValues.Enable(
                            "homelab",
                            1,
                            "NodePort",
                            32379,
                            ca.certificatePem(),
                            ca.privateKeyPem(),
                            List.of(),
                            List.of()));

            // Dry run from the same values: the values diff and the object diff, nothing written.
            HelmDryRun dryRun = HelmDryRun.of(
                    original, enabled, installed.manifest(), helm.render(installed, installed, enabled, "1.31.0"));
            assertThat(dryRun.valuesDiff())
                    .contains(
                            "clustermesh.useAPIServer: true",
                            "clustermesh.apiserver.service.nodePort: 32379",
                            "tls.ca.key: \"(mesh CA, not shown)\"")
                    .doesNotContain(java.util.Base64.getEncoder()
                            .encodeToString(ca.privateKeyPem().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(dryRun.added())
                    .contains(
                            "Deployment kube-system/clustermesh-apiserver",
                            "Service kube-system/clustermesh-apiserver");
            // Our mesh CA replaces the one the chart generated at install.
            assertThat(dryRun.changed()).contains("Secret kube-system/cilium-ca");
            assertThat(dryRun.removed()).isEmpty();
            assertThat(latest(client).revision()).isEqualTo(1);

            long started = System.nanoTime();
            helm.upgrade(installed, installed, enabled, "enable", false);
            HelmRelease afterEnable = latest(client);
            ObjectNode connected = HelmMeshValues.connect(
                    afterEnable.config(),
                    List.of(new RemoteEndpoint.ViaHostAliases("cloud", List.of("203.0.113.11"), 32379)));
            helm.upgrade(afterEnable, installed, connected, "connect", false);
            long enableConnectMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println(
                    "Helm mode enable+connect (two helm upgrades of cilium 1.15.0): " + enableConnectMillis + " ms");

            HelmRelease afterConnect = latest(client);
            assertThat(afterConnect.revision()).isEqualTo(3);
            assertThat(afterConnect.description()).isEqualTo("clustermesh-controller: connect");
            assertThat(afterConnect.chartVersion()).isEqualTo("1.15.0");
            // The values of our revision: the user's, plus exactly the clustermesh settings.
            ObjectNode added = afterConnect.config().deepCopy();
            assertThat(HelmMeshValues.disable(added, original)).isEqualTo(original);
            assertThat(HelmMeshValues.get(afterConnect.config(), "clustermesh.useAPIServer")
                            .asBoolean())
                    .isTrue();
            assertThat(HelmMeshValues.get(afterConnect.config(), "clustermesh.config.clusters")
                            .get(0)
                            .path("name")
                            .asText())
                    .isEqualTo("cloud");
            assertThat(HelmMeshValues.get(afterConnect.config(), "encryption.type")
                            .asText())
                    .isEqualTo("wireguard");

            // The clustermesh-apiserver is the chart's own: its image tag is the agent's.
            var apiserver = client.apps()
                    .deployments()
                    .inNamespace("kube-system")
                    .withName("clustermesh-apiserver")
                    .get();
            var agent = client.apps()
                    .daemonSets()
                    .inNamespace("kube-system")
                    .withName("cilium")
                    .get();
            String agentTag = tag(agent.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage());
            assertThat(agentTag).isEqualTo("v1.15.0");
            assertThat(apiserver.getSpec().getTemplate().getSpec().getContainers())
                    .allSatisfy(c -> assertThat(tag(c.getImage())).isEqualTo(agentTag));
            assertThat(client.secrets()
                            .inNamespace("kube-system")
                            .withName("cilium-clustermesh")
                            .get()
                            .getData())
                    .containsKey("cloud");
            assertThat(client.configMaps()
                            .inNamespace("kube-system")
                            .withName("cilium-config")
                            .get()
                            .getData())
                    .containsEntry(CiliumNames.KEY_CLUSTER_NAME, "homelab");

            // A seed-style upgrade by the user with the chart package keeps the mesh.
            new Helm(CiliumCharts.chart("1.15.0"))
                    .upgrade()
                    .withName(HelmInstalls.RELEASE)
                    .withNamespace("kube-system")
                    .withKubeConfigContents(HelmInstalls.kubeconfig(homelab))
                    .disableOpenApiValidation()
                    .reuseValues()
                    .set("encryption.enabled", "true")
                    .set("hubble.relay.enabled", "true")
                    .call();
            HelmRelease seeded = latest(client);
            assertThat(HelmMeshValues.get(seeded.config(), "clustermesh.useAPIServer")
                            .asBoolean())
                    .isTrue();
            assertThat(client.apps()
                            .deployments()
                            .inNamespace("kube-system")
                            .withName("clustermesh-apiserver")
                            .get())
                    .isNotNull();

            // Disconnect, then disable: back to the user's values, the seed's own change kept.
            HelmRelease baseline = HelmMeshValues.baseline(history(client));
            assertThat(baseline.revision()).isEqualTo(1);
            assertThat(baseline.config()).isEqualTo(original);
            helm.upgrade(
                    seeded, baseline, HelmMeshValues.disconnect(seeded.config(), Set.of("cloud")), "disconnect", false);
            HelmRelease disconnected = latest(client);
            helm.upgrade(
                    disconnected,
                    baseline,
                    HelmMeshValues.disable(disconnected.config(), baseline.config()),
                    "disable",
                    false);
            HelmRelease disabled = latest(client);
            ObjectNode expected = original.deepCopy();
            expected.withObject("/hubble").withObject("/relay").put("enabled", true);
            assertThat(disabled.config()).isEqualTo(expected);
            assertThat(client.apps()
                            .deployments()
                            .inNamespace("kube-system")
                            .withName("clustermesh-apiserver")
                            .get())
                    .isNull();
            assertThat(Helm.history(HelmInstalls.RELEASE)
                            .withNamespace("kube-system")
                            .withKubeConfigContents(HelmInstalls.kubeconfig(homelab))
                            .call())
                    .hasSize(6);
        }
    }

    @Test
    void baselineIsTheRevisionBeforeOurFirstChangeSinceTheLastDisable() {
        ObjectNode v1 = JSON.createObjectNode().put("a", 1);
        ObjectNode v3 = JSON.createObjectNode().put("a", 3);
        List<HelmRelease> history = List.of(
                rev(1, "Install complete", v1),
                rev(2, "clustermesh-controller: enable", v1),
                rev(3, "clustermesh-controller: disable", v3),
                rev(4, "Upgrade complete", v3),
                rev(5, "clustermesh-controller: enable", v3),
                rev(6, "Upgrade complete", v1),
                rev(7, "clustermesh-controller: connect", v1));
        assertThat(HelmMeshValues.baseline(history).revision()).isEqualTo(4);
        assertThat(HelmMeshValues.baseline(history.subList(0, 1))).isNull();
    }

    @Test
    void aChartFileNamedOutsideTheChartIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ObjectNode chart = JSON.createObjectNode();
        chart.putObject("metadata").put("name", "cilium").put("version", "1.15.0");
        chart.putArray("templates")
                .addObject()
                .put("name", "../../escaped.yaml")
                .put("data", "eA==");
        HelmRelease release =
                new HelmRelease("cilium", "kube-system", 1, "deployed", "", JSON.createObjectNode(), chart, "");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> release.writeChart(dir.resolve("work"), JSON.createObjectNode()))
                .isInstanceOf(java.io.IOException.class);
        assertThat(dir.resolve("escaped.yaml")).doesNotExist();
    }

    private static HelmRelease rev(int n, String description, ObjectNode config) {
        return new HelmRelease(
                "cilium", "kube-system", n, "superseded", description, config, JSON.createObjectNode(), "");
    }

    private static String tag(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        return withoutDigest.substring(withoutDigest.lastIndexOf(':') + 1);
    }

    private static List<HelmRelease> history(KubernetesClient client) {
        return client
                .secrets()
                .inNamespace("kube-system")
                .withLabels(HelmReleaseRecord.SELECTOR)
                .list()
                .getItems()
                .stream()
                .map(HelmRelease::decode)
                .flatMap(java.util.Optional::stream)
                .toList();
    }

    private static HelmRelease latest(KubernetesClient client) {
        return history(client).stream()
                .max(Comparator.comparingInt(HelmRelease::revision))
                .orElseThrow();
    }

    private static KubernetesClient client(SimulatedCluster cluster) {
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(HelmInstalls.kubeconfig(cluster)))
                .build();
    }
}
