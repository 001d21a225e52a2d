package io.clustermesh.controller.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermesh.controller.Main;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.sim.SimulatedCluster;
import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.ExternalCommand;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-shot check against two simulated clusters, without Quarkus: exit codes for a healthy,
 * a degraded and a dead mesh and for a configuration error, JSON output, and the real
 * {@code Main} in a child JVM (the exit code a CronJob sees).
 */
class CheckModeTest {
    private static final List<SimulatedCluster> CLUSTERS = new ArrayList<>();
    private static Path kubeconfigs;

    @BeforeAll
    static void startClusters(@TempDir Path dir) throws Exception {
        kubeconfigs = dir;
        for (int i = 0; i < 2; i++) {
            SimulatedCluster cluster = SimulatedCluster.startIndexed(i);
            cluster.writeKubeconfig(dir);
            CLUSTERS.add(cluster);
        }
    }

    @AfterAll
    static void stopClusters() {
        CLUSTERS.forEach(SimulatedCluster::close);
    }

    record Result(int exitCode, String out, String err) {
        Result assertExit(int code) {
            assertThat(exitCode).as(() -> out + "\n" + err).isEqualTo(code);
            return this;
        }
    }

    static Result check(String... args) {
        return checkWith(Map.of(), args);
    }

    static Result checkWith(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CheckCommand.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exitCodesFollowTheMeshStatus() throws Exception {
        String dir = kubeconfigs.toString();
        Result healthy = check("--kubeconfig-dir", dir, "--output", "json").assertExit(0);
        JsonNode json = HealthJson.MAPPER.readTree(healthy.out());
        assertThat(json.get("status").asText()).isEqualTo("healthy");
        assertThat(json.get("exitCode").asInt()).isZero();
        assertThat(json.get("report").get("clusters")).hasSize(2);
        assertThat(json.get("report").get("clusters").get(0).get("simulated").asBoolean())
                .isTrue();

        try (var client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfigs.resolve("cloud")), null))
                .build()) {
            var configMap = client.configMaps()
                    .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                    .withName(CiliumNames.CONFIG_MAP);
            var original = configMap.get();
            configMap.edit(cm -> {
                cm.getData().put(CiliumNames.KEY_CLUSTER_ID, "0");
                return cm;
            });
            try {
                Result degraded = check("--kubeconfig-dir=" + dir).assertExit(1);
                assertThat(degraded.out())
                        .contains("cluster cloud: degraded (simulated)")
                        .contains("failing  cilium: Cilium 1.18.2 is not configured for ClusterMesh")
                        .contains("hint: set cluster.name");
            } finally {
                configMap.edit(cm -> {
                    cm.setData(original.getData());
                    return cm;
                });
            }
        }

        CLUSTERS.get(1).inject(SimulatedFault.APISERVER_DOWN);
        try {
            Result down = check("--kubeconfig-dir", dir, "--output", "text").assertExit(2);
            assertThat(down.out())
                    .startsWith("mesh down (exit 2")
                    .contains("cluster cloud: down")
                    .contains("failing  api: API server at http://127.0.0.1:");
        } finally {
            CLUSTERS.get(1).heal();
        }
    }

    @Test
    void configurationErrorsExitThree(@TempDir Path empty) {
        assertThat(check("--kubeconfig-dir", empty.toString()).assertExit(3).err())
                .contains("no cluster to check");
        assertThat(check("--kubeconfig-dir", empty.resolve("missing").toString())
                        .assertExit(3)
                        .err())
                .contains("kubeconfig directory does not exist");
        assertThat(check("--output", "yaml").assertExit(3).err()).contains("--output is text or json");
        assertThat(check("--bogus").assertExit(3).err()).contains("unknown argument --bogus");
        assertThat(check("--report-to", "ftp://x").assertExit(3).err()).contains("http(s) URL");
    }

    @Test
    void withoutKubeconfigDirTheKubeconfigVariableIsExpandedAsQuarkusDoes() {
        Result unset = check().assertExit(3);
        assertThat(unset.err())
                .contains("no cluster to check")
                .doesNotContain("${")
                .doesNotContain("kubeconfig }");

        Result set = checkWith(Map.of("KUBECONFIG", kubeconfigs.resolve("cloud").toString()), "--output", "json")
                .assertExit(0);
        assertThat(set.out()).contains("\"name\" : \"cloud\"").doesNotContain("\"name\" : \"homelab\"");
    }

    @Test
    void aShortOrDefaultPerClusterDeadlineIsRaisedToTheCheckMinimumAndALongOneKept() {
        // A system property, the highest source: a @QuarkusTest earlier in this JVM may have left one behind.
        String key = "mesh.client.per-cluster-deadline";
        String before = System.getProperty(key);
        try {
            assertThat(deadlineWith(key, "2s")).isEqualTo(Duration.ofSeconds(20));
            assertThat(deadlineWith(key, "45s")).isEqualTo(Duration.ofSeconds(45));
            System.clearProperty(key);
            assertThat(CheckCommand.configuration(new CheckCommand.Options(null, false, null), Map.of())
                            .getConfigMapping(MeshConfig.class)
                            .client()
                            .perClusterDeadline())
                    .as("the service's 5 s default, set nowhere")
                    .isEqualTo(Duration.ofSeconds(20));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    private static Duration deadlineWith(String key, String value) {
        System.setProperty(key, value);
        return CheckCommand.configuration(new CheckCommand.Options(null, false, null), Map.of())
                .getConfigMapping(MeshConfig.class)
                .client()
                .perClusterDeadline();
    }

    @Test
    void mainRunsTheCheckInAPlainJvmAndExitsWithItsCode() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var result = ExternalCommand.run(
                List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "check",
                        "--kubeconfig-dir",
                        kubeconfigs.toString(),
                        "--output",
                        "json"),
                null,
                Duration.ofSeconds(90));
        assertThat(result.exitCode())
                .as(() -> result.stdout() + result.stderr())
                .isZero();
        assertThat(HealthJson.MAPPER.readTree(result.stdout()).get("status").asText())
                .isEqualTo("healthy");
    }
}
