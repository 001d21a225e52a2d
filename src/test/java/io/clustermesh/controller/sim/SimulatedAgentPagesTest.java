package io.clustermesh.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulated agents' metrics pages are rendered once per state of the network, and again after any change. */
class SimulatedAgentPagesTest {
    private static final String NODE = "cloud-node-1";
    private static SimulatedCluster homelab;
    private static SimulatedCluster cloud;

    @BeforeAll
    static void start() {
        homelab = SimulatedCluster.startIndexed(0);
        cloud = SimulatedCluster.startIndexed(1);
    }

    @AfterAll
    static void stop() {
        cloud.close();
        homelab.close();
    }

    @Test
    void aPageIsReusedUntilAFaultAnywhereInTheNetworkRendersItAgain() {
        String first = cloud.agentMetrics(NODE);
        assertThat(cloud.agentMetrics(NODE)).isSameAs(first);

        String afterFault;
        homelab.inject(SimulatedFault.PORT_FORWARD_REMOVED);
        try {
            afterFault = cloud.agentMetrics(NODE);
            assertThat(afterFault).isNotSameAs(first).isEqualTo(first);
            assertThat(cloud.agentMetrics(NODE)).isSameAs(afterFault);
        } finally {
            homelab.heal();
        }
        assertThat(cloud.agentMetrics(NODE)).isNotSameAs(afterFault);
    }

    @Test
    void aNewRemoteEntryWrittenThroughTheApiShowsOnTheNextPages() {
        assertThat(cloud.agentMetrics(NODE)).doesNotContain("target_cluster=\"homelab\"");
        String entry = "endpoints:\n- https://homelab.mesh.cilium.io:" + CiliumNames.DEFAULT_NODE_PORT + "\n";
        cloud.client()
                .secrets()
                .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(CiliumNames.CLUSTERMESH_SECRET)
                        .withNamespace(CiliumNames.DEFAULT_NAMESPACE)
                        .endMetadata()
                        .withData(Map.of(
                                "homelab", Base64.getEncoder().encodeToString(entry.getBytes(StandardCharsets.UTF_8))))
                        .build())
                .createOr(existing -> existing.update());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cloud.agentMetrics(NODE).contains("target_cluster=\"homelab\""));
        // No KVStoreMesh entry for it: configured, not ready.
        assertThat(cloud.agentMetrics(NODE))
                .contains(
                        "cilium_clustermesh_remote_cluster_readiness_status{source_cluster=\"cloud\",source_node_name=\""
                                + NODE + "\",target_cluster=\"homelab\"} 0");
    }
}
