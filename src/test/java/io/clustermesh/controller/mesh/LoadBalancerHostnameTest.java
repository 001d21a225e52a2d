package io.clustermesh.controller.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.AccessInformation;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.cilium.RemoteEndpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 19 item 7: a LoadBalancer that publishes a hostname (EKS) is dialled at its addresses. */
class LoadBalancerHostnameTest {
    private static final String ELB = "a1b2c3-123.eu-west-1.elb.amazonaws.com";

    @Test
    void aLoadBalancerHostnameIsResolvedToItsAddressesBehindTheMeshAlias() {
        var access = new AccessInformation("cloud", 2, 255, "LoadBalancer", List.of(ELB), 2379, "vxlan");
        RemoteEndpoint endpoint =
                ConnectPlanner.dialledAt(access, Map.of(ELB, List.of("203.0.113.21", "203.0.113.22"))::get);

        assertThat(endpoint)
                .isEqualTo(new RemoteEndpoint.ViaHostAliases("cloud", List.of("203.0.113.21", "203.0.113.22"), 2379));
        assertThat(endpoint.url()).isEqualTo("https://cloud.mesh.cilium.io:2379");
        assertThat(ClusterMeshSecretEntries.hostAliasesFor(endpoint))
                .extracting(a -> a.getIp())
                .containsExactly("203.0.113.21", "203.0.113.22");
    }

    @Test
    void aHostnameThatDoesNotResolveIsDialledByName() {
        var access = new AccessInformation("cloud", 2, 255, "LoadBalancer", List.of(ELB), 2379, "vxlan");
        RemoteEndpoint endpoint = ConnectPlanner.dialledAt(access, host -> List.of());

        assertThat(endpoint).isEqualTo(new RemoteEndpoint.ViaAddress("cloud", ELB, 2379));
    }

    @Test
    void ipsAreNeverResolved() {
        var access = new AccessInformation("cloud", 2, 255, "LoadBalancer", List.of("203.0.113.10"), 2379, "vxlan");
        RemoteEndpoint endpoint = ConnectPlanner.dialledAt(access, host -> {
            throw new AssertionError("resolved " + host);
        });

        assertThat(endpoint).isEqualTo(new RemoteEndpoint.ViaHostAliases("cloud", List.of("203.0.113.10"), 2379));
    }
}
