package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    @Test
    void fixtureParsesIntoIdAndCapabilities() {
        ClusterConfig config = ClusterConfig.parse(Fixtures.text("etcd-cluster-config-cloud.json"));

        assertThat(config).isEqualTo(ClusterConfig.of(2, 255));
        assertThat(config.capabilities().cached()).isFalse();
    }

    @Test
    void renderingProducesTheFixtureJson() {
        String rendered = ClusterConfig.of(2, 255).render();

        assertThat(Fixtures.readJson(rendered)).isEqualTo(Fixtures.json("etcd-cluster-config-cloud.json"));
        assertThat(rendered)
                .isEqualTo(
                        "{\"id\":2,\"capabilities\":{\"syncedCanaries\":true,\"maxConnectedClusters\":255,\"serviceExportsEnabled\":false}}");
    }

    @Test
    void kvstoremeshCopyRoundTripsWithOptionalFields() {
        ClusterConfig cached = new ClusterConfig(300, new ClusterConfig.Capabilities(true, true, 511, null, "cilium"));

        assertThat(ClusterConfig.parse(cached.render())).isEqualTo(cached);
        assertThat(cached.render()).doesNotContain("serviceExportsEnabled");
    }

    @Test
    void keyIsPerClusterName() {
        assertThat(ClusterConfig.keyFor("cloud")).isEqualTo("cilium/cluster-config/cloud");
    }

    @Test
    void garbageIsMalformed() {
        assertThatThrownBy(() -> ClusterConfig.parse("2025-11-24T21:15:00Z"))
                .isInstanceOf(MalformedCiliumOutputException.class);
    }
}
