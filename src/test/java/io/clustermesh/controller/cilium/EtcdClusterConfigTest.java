package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EtcdClusterConfigTest {

    @Test
    void fixtureParsesIntoIdAndCapabilities() {
        EtcdClusterConfig config = EtcdClusterConfig.parse(Fixtures.text("etcd-cluster-config-cloud.json"));

        assertThat(config).isEqualTo(EtcdClusterConfig.of(2, 255));
        assertThat(config.capabilities().cached()).isFalse();
    }

    @Test
    void renderingProducesTheFixtureJson() {
        String rendered = EtcdClusterConfig.of(2, 255).render();

        assertThat(Fixtures.readJson(rendered)).isEqualTo(Fixtures.json("etcd-cluster-config-cloud.json"));
        assertThat(rendered)
                .isEqualTo(
                        "{\"id\":2,\"capabilities\":{\"syncedCanaries\":true,\"maxConnectedClusters\":255,\"serviceExportsEnabled\":false}}");
    }

    @Test
    void kvstoremeshCopyRoundTripsWithOptionalFields() {
        EtcdClusterConfig cached =
                new EtcdClusterConfig(300, new EtcdClusterConfig.Capabilities(true, true, 511, null, "cilium"));

        assertThat(EtcdClusterConfig.parse(cached.render())).isEqualTo(cached);
        assertThat(cached.render()).doesNotContain("serviceExportsEnabled");
    }

    @Test
    void keyIsPerClusterName() {
        assertThat(EtcdClusterConfig.keyFor("cloud")).isEqualTo("cilium/cluster-config/cloud");
    }

    @Test
    void garbageIsMalformed() {
        assertThatThrownBy(() -> EtcdClusterConfig.parse("2025-11-24T21:15:00Z"))
                .isInstanceOf(MalformedCiliumOutputException.class);
    }
}
