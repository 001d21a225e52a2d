package io.clustermesh.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.cilium.CiliumNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's clusters take their Cilium version from mesh.simulator.cilium-version(s). */
class SimulatorVersionsTest {

    private static SimulatorConfig config(String defaultVersion, Map<String, String> perCluster, boolean validate) {
        return new SimulatorConfig() {
            @Override
            public boolean registerClusters() {
                return true;
            }

            @Override
            public String ciliumVersion() {
                return defaultVersion;
            }

            @Override
            public Map<String, String> ciliumVersions() {
                return perCluster;
            }

            @Override
            public boolean validateApiServerStartup() {
                return validate;
            }

            @Override
            public boolean agentMetrics() {
                return true;
            }

            @Override
            public boolean routedNodes() {
                return false;
            }
        };
    }

    @Test
    void aClusterNamedInCiliumVersionsRunsThatVersionTheOthersTheDefault() {
        SimulatorConfig mixed = config("1.18.2", Map.of("homelab", "1.15.0", "cloud", "1.18.11"), true);
        assertThat(SimulatedMesh.specFor(0, mixed).ciliumVersion()).isEqualTo("1.15.0");
        assertThat(SimulatedMesh.specFor(1, mixed).ciliumVersion()).isEqualTo("1.18.11");
        assertThat(SimulatedMesh.specFor(2, mixed).ciliumVersion()).isEqualTo("1.18.2");
        assertThat(SimulatedMesh.specFor(2, mixed).validateApiServerStartup()).isTrue();
        assertThat(SimulatedMesh.specFor(0, config("1.18.2", Map.of(), false)).validateApiServerStartup())
                .isFalse();
    }

    @Test
    void theAgentsRunTheConfiguredVersion() {
        try (SimulatedCluster homelab = SimulatedCluster.start(
                        SimulatedMesh.specFor(0, config("1.18.2", Map.of("homelab", "1.15.0"), true)));
                var client = SimulatedClients.through(homelab)) {
            assertThat(client.apps()
                            .daemonSets()
                            .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                            .withName(CiliumNames.AGENT_DAEMONSET)
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo(CiliumNames.AGENT_IMAGE_REPO + ":v1.15.0");
            assertThat(client.pods()
                            .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                            .list()
                            .getItems())
                    .allSatisfy(
                            p -> assertThat(p.getSpec().getContainers().get(0).getImage())
                                    .endsWith(":v1.15.0"));
        }
    }

    @Test
    void aVersionThatIsNoVersionIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> SimulatedMesh.specFor(0, config("1.18.2", Map.of("homelab", "latest"), true)))
                .hasMessageContaining("mesh.simulator.cilium-versions.homelab")
                .hasMessageContaining("'latest'");
    }
}
