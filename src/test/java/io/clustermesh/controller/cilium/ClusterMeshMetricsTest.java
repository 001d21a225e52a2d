package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.ClusterMeshMetrics.RemoteClusterMetrics;
import io.clustermesh.controller.cilium.ClusterMeshMetrics.Source;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterMeshMetricsTest {

    @Test
    void legacyLabelSetGivesPerTargetValuesAndTheSource() {
        ClusterMeshMetrics m = ClusterMeshMetrics.parseAgent(Fixtures.text("agent-metrics-clustermesh.prom"));

        assertThat(m.sourceCluster()).isEqualTo("homelab");
        assertThat(m.sourceNodeName()).isEqualTo("homelab-node-1");
        assertThat(m.remoteClusters()).isEqualTo(1);
        assertThat(m.globalServices()).isEqualTo(2);
        assertThat(m.remotes()).containsOnlyKeys("cloud");
        RemoteClusterMetrics cloud = m.remotes().get("cloud");
        assertThat(cloud.ready()).isTrue();
        assertThat(cloud.failures()).isEqualTo(3);
        assertThat(cloud.lastFailure()).isEqualTo(Instant.ofEpochSecond(1764018843));
        assertThat(cloud.nodes()).isEqualTo(3);
        assertThat(cloud.services()).isNull();
    }

    @Test
    void v119LabelSetHasOnlyTargetClusterAndNewFamilies() {
        ClusterMeshMetrics m = ClusterMeshMetrics.parseAgent(Fixtures.text("agent-metrics-clustermesh-1.19.prom"));

        assertThat(m.sourceCluster()).isNull();
        assertThat(m.sourceNodeName()).isNull();
        assertThat(m.globalServices()).isNull();
        assertThat(m.remoteClusters()).isEqualTo(1);
        RemoteClusterMetrics cloud = m.remotes().get("cloud");
        assertThat(cloud).isEqualTo(new RemoteClusterMetrics("cloud", true, 0, null, 3L, 2L, 14L));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"agent-metrics-clustermesh.prom", "agent-metrics-clustermesh-1.19.prom"})
    void renderingParsedFixtureReproducesItsMetricLinesExactly(String fixture) {
        String text = Fixtures.text(fixture);
        String withoutFreeComments = Arrays.stream(text.split("\n"))
                .filter(l -> !l.startsWith("#") || l.startsWith("# HELP ") || l.startsWith("# TYPE "))
                .collect(Collectors.joining("\n", "", "\n"));

        String rendered = ClusterMeshMetricsRenderer.render(ClusterMeshMetrics.parseAgent(text));

        assertThat(rendered).isEqualTo(withoutFreeComments);
    }

    @Test
    void kvstoreMeshMetricsUseTheirOwnPrefixAndHaveNoNodes() {
        String text = """
                # TYPE cilium_kvstoremesh_remote_cluster_readiness_status gauge
                cilium_kvstoremesh_remote_cluster_readiness_status{source_cluster="homelab",target_cluster="cloud"} 0
                cilium_kvstoremesh_remote_cluster_failures{source_cluster="homelab",target_cluster="cloud"} 7
                cilium_kvstoremesh_remote_cluster_last_failure_ts{source_cluster="homelab",target_cluster="cloud"} 1.7640188435e+09
                cilium_kvstoremesh_remote_clusters{source_cluster="homelab"} 1
                cilium_clustermesh_remote_cluster_readiness_status{target_cluster="other"} 1
                """;

        ClusterMeshMetrics m = ClusterMeshMetrics.parseKvstoreMesh(text);

        assertThat(m.source()).isEqualTo(Source.KVSTOREMESH);
        assertThat(m.remotes()).containsOnlyKeys("cloud");
        assertThat(m.remotes().get("cloud"))
                .isEqualTo(RemoteClusterMetrics.of("cloud", false, 7, Instant.ofEpochMilli(1764018843500L), null));
    }

    @Test
    void simulatedMetricsRoundTripForBothLabelSets() {
        Map<String, RemoteClusterMetrics> remotes = Map.of(
                "cloud", RemoteClusterMetrics.of("cloud", true, 0, null, 3L),
                "edge", RemoteClusterMetrics.of("edge", false, 12, Instant.ofEpochSecond(1764018843, 250_000_000), 0L));
        ClusterMeshMetrics legacy = new ClusterMeshMetrics(Source.AGENT, "homelab", "homelab-node-1", 2L, 5L, remotes);
        ClusterMeshMetrics modern = new ClusterMeshMetrics(Source.AGENT, null, null, 2L, null, remotes);
        ClusterMeshMetrics kvstoremesh = new ClusterMeshMetrics(
                Source.KVSTOREMESH,
                "homelab",
                null,
                1L,
                null,
                Map.of("cloud", RemoteClusterMetrics.of("cloud", true, 1, Instant.ofEpochSecond(1700000000), null)));

        assertThat(ClusterMeshMetrics.parseAgent(ClusterMeshMetricsRenderer.render(legacy)))
                .isEqualTo(legacy);
        assertThat(ClusterMeshMetrics.parseAgent(ClusterMeshMetricsRenderer.render(modern)))
                .isEqualTo(modern);
        assertThat(ClusterMeshMetrics.parseKvstoreMesh(ClusterMeshMetricsRenderer.render(kvstoremesh)))
                .isEqualTo(kvstoremesh);
    }

    @Test
    void unrelatedMetricsAndEmptyScrapesYieldNoRemotes() {
        ClusterMeshMetrics m = ClusterMeshMetrics.parseAgent("cilium_endpoint_count 4\n");

        assertThat(m.remotes()).isEmpty();
        assertThat(m.remoteClusters()).isNull();
    }
}
