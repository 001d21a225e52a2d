package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CiliumConfigTest {

    @Test
    void readsEveryMeshRelevantKeyOfTheHomelabFixture() {
        CiliumConfig c = Fixtures.ciliumConfig("cilium-config-homelab.yaml");

        assertThat(c.clusterName()).isEqualTo("homelab");
        assertThat(c.clusterId()).isEqualTo(1);
        assertThat(c.clusterIdRaw()).isEqualTo("1");
        assertThat(c.maxConnectedClusters()).isEqualTo(255);
        assertThat(c.identityAllocationMode()).isEqualTo("crd");
        assertThat(c.routingMode()).isEqualTo("tunnel");
        assertThat(c.tunnelProtocol()).isEqualTo("vxlan");
        assertThat(c.wireguardEnabled()).isTrue();
        assertThat(c.ipsecEnabled()).isFalse();
        assertThat(c.podCidrsV4()).containsExactly("10.1.0.0/16");
    }

    @Test
    void absentKeysTakeCiliumDefaults() {
        CiliumConfig c = CiliumConfig.fromData(Map.of());

        assertThat(c.clusterName()).isNull();
        assertThat(c.clusterId()).isNull();
        assertThat(c.maxConnectedClusters()).isEqualTo(255);
        assertThat(c.identityAllocationMode()).isEqualTo("crd");
        assertThat(c.routingMode()).isEqualTo("tunnel");
        assertThat(c.tunnelProtocol()).isEqualTo("vxlan");
        assertThat(c.wireguardEnabled()).isFalse();
        assertThat(c.podCidrsV4()).isEmpty();
    }

    @Test
    void nativeRoutingHasNoTunnelProtocol() {
        CiliumConfig c = CiliumConfig.fromData(Map.of("routing-mode", "native", "tunnel-protocol", "geneve"));

        assertThat(c.tunnelProtocol()).isNull();
        assertThat(c.tunnelDescription()).isEqualTo("disabled");
    }

    @Test
    void nonNumericIdKeepsTheRawValue() {
        CiliumConfig c = CiliumConfig.fromData(Map.of("cluster-id", "one", "max-connected-clusters", "lots"));

        assertThat(c.clusterId()).isNull();
        assertThat(c.clusterIdRaw()).isEqualTo("one");
        assertThat(c.maxConnectedClusters()).isNull();
    }

    @Test
    void spaceSeparatedPodCidrsAreSplit() {
        CiliumConfig c = CiliumConfig.fromData(Map.of("cluster-pool-ipv4-cidr", "10.1.0.0/16 10.9.0.0/16"));

        assertThat(c.podCidrsV4()).containsExactly("10.1.0.0/16", "10.9.0.0/16");
    }
}
