package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessInformationTest {
    private static final CiliumConfig CLOUD = Fixtures.ciliumConfig("cilium-config-cloud.yaml");

    private static ServiceBuilder apiserver(String type) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName("clustermesh-apiserver")
                .withNamespace("kube-system")
                .endMetadata()
                .withNewSpec()
                .withType(type)
                .withClusterIP("10.96.0.50")
                .addNewPort()
                .withPort(2379)
                .withNodePort("NodePort".equals(type) ? 32379 : null)
                .endPort()
                .endSpec();
    }

    private static Node node(String name, String... typeAndAddress) {
        NodeBuilder b = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .endStatus();
        for (int i = 0; i < typeAndAddress.length; i += 2) {
            b.editStatus()
                    .addNewAddress()
                    .withType(typeAndAddress[i])
                    .withAddress(typeAndAddress[i + 1])
                    .endAddress()
                    .endStatus();
        }
        return b.build();
    }

    @Test
    void clusterIpUsesTheServiceIpAndPort() {
        AccessInformation ai =
                AccessInformation.derive(CLOUD, apiserver("ClusterIP").build(), List.of());

        assertThat(ai.serviceType()).isEqualTo("ClusterIP");
        assertThat(ai.addresses()).containsExactly("10.96.0.50");
        assertThat(ai.port()).isEqualTo(2379);
        assertThat(ai.clusterName()).isEqualTo("cloud");
        assertThat(ai.clusterId()).isEqualTo(2);
        assertThat(ai.maxConnectedClusters()).isEqualTo(255);
        assertThat(ai.tunnel()).isEqualTo("vxlan");
    }

    @Test
    void nodePortUsesTheFirstNodeWithAnAddressPreferringExternalIp() {
        List<Node> nodes = List.of(
                node("no-address"),
                node("cloud-node-a", "InternalIP", "172.31.10.11", "ExternalIP", "198.51.100.7"),
                node("cloud-node-b", "ExternalIP", "198.51.100.8"));

        AccessInformation ai =
                AccessInformation.derive(CLOUD, apiserver("NodePort").build(), nodes);

        assertThat(ai.addresses()).containsExactly("198.51.100.7");
        assertThat(ai.port()).isEqualTo(32379);
    }

    @Test
    void nodePortFallsBackToInternalIp() {
        AccessInformation ai = AccessInformation.derive(
                CLOUD,
                apiserver("NodePort").build(),
                List.of(node("n", "Hostname", "n", "InternalIP", "172.31.10.11")));

        assertThat(ai.addresses()).containsExactly("172.31.10.11");
        assertThat(ai.toRemoteEndpoint())
                .isEqualTo(new RemoteEndpoint.ViaHostAliases("cloud", List.of("172.31.10.11"), 32379));
    }

    @Test
    void loadBalancerKeepsIngressIpsAndHostnames() {
        Service lb = apiserver("LoadBalancer")
                .withNewStatus()
                .withNewLoadBalancer()
                .addNewIngress()
                .withIp("203.0.113.10")
                .endIngress()
                .addNewIngress()
                .withHostname("abc.elb.example.com")
                .endIngress()
                .endLoadBalancer()
                .endStatus()
                .build();

        AccessInformation ai = AccessInformation.derive(CLOUD, lb, List.of());

        assertThat(ai.addresses()).containsExactly("203.0.113.10", "abc.elb.example.com");
        assertThat(ai.ips()).containsExactly("203.0.113.10");
        assertThat(ai.hostnames()).containsExactly("abc.elb.example.com");
        assertThat(ai.toRemoteEndpoint().url()).isEqualTo("https://cloud.mesh.cilium.io:2379");
    }

    @Test
    void loadBalancerWithOnlyAHostnameBecomesTheAddressForm() {
        Service lb = apiserver("LoadBalancer")
                .withNewStatus()
                .withNewLoadBalancer()
                .addNewIngress()
                .withHostname("abc.elb.example.com")
                .endIngress()
                .endLoadBalancer()
                .endStatus()
                .build();

        RemoteEndpoint endpoint = AccessInformation.derive(CLOUD, lb, List.of()).toRemoteEndpoint();

        assertThat(endpoint).isEqualTo(new RemoteEndpoint.ViaAddress("cloud", "abc.elb.example.com", 2379));
    }

    @Test
    void pendingLoadBalancerCannotBeDerived() {
        ProblemException e = catchThrowableOfType(
                () -> AccessInformation.derive(CLOUD, apiserver("LoadBalancer").build(), List.of()),
                ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.ACCESS_INFORMATION_UNAVAILABLE);
        assertThat(e.getMessage()).contains("unable to derive service IPs automatically");
    }

    @Test
    void missingServiceMeansClusterMeshIsNotEnabled() {
        ProblemException e =
                catchThrowableOfType(() -> AccessInformation.derive(CLOUD, null, List.of()), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.CLUSTERMESH_NOT_ENABLED);
    }

    @Test
    void explicitEndpointsAreUsedVerbatim() {
        AccessInformation ai = AccessInformation.fromExplicitEndpoints(
                CLOUD, List.of("100.64.0.7:32379", "[fd7a:115c:a1e0::7]:32379"));

        assertThat(ai.serviceType()).isEqualTo("Explicit");
        assertThat(ai.addresses()).containsExactly("100.64.0.7", "fd7a:115c:a1e0::7");
        assertThat(ai.ips()).hasSize(2);
        assertThat(ai.port()).isEqualTo(32379);
    }

    @Test
    void explicitEndpointsMustShareOnePort() {
        ProblemException e = catchThrowableOfType(
                () -> AccessInformation.fromExplicitEndpoints(CLOUD, List.of("100.64.0.7:32379", "100.64.0.8:2379")),
                ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.INVALID_INPUT);
        assertThat(e.field()).isEqualTo("endpoints");
        assertThat(e.getMessage()).contains("same port");
    }

    @Test
    void explicitEndpointWithoutPortIsInvalid() {
        ProblemException e = catchThrowableOfType(
                () -> AccessInformation.fromExplicitEndpoints(CLOUD, List.of("100.64.0.7")), ProblemException.class);

        assertThat(e.field()).isEqualTo("endpoints");
    }
}
