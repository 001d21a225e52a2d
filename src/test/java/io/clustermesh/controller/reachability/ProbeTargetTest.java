package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where each mode dials a cluster, read from a CRUD mock server holding its Cilium objects. */
class ProbeTargetTest {
    private static final String NS = "kube-system";
    private static final String TAILNET_IP = "100.101.7.13";

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("cilium-config")
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(Map.of("cluster-name", "homelab", "cluster-id", "1"))
                        .build())
                .create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void withoutClusterMeshThereIsNothingToDialAndTheProblemSaysSo() {
        ProbeTarget target = read("direct", Optional.empty());

        assertThat(target.problem()).contains("ClusterMesh is not enabled on homelab");
    }

    @Test
    void directModeDialsTheLoadBalancerAddressAsTheMeshHostname() {
        enableWith(new ServiceBuilder(service())
                .editSpec()
                .withType("LoadBalancer")
                .endSpec()
                .withNewStatus()
                .withNewLoadBalancer()
                .addNewIngress()
                .withIp("203.0.113.10")
                .endIngress()
                .endLoadBalancer()
                .endStatus()
                .build());

        ProbeTarget target = read("direct", Optional.of("ignored.example:1"));

        assertThat(target.problem()).isNull();
        assertThat(target.endpoint()).isEqualTo(new HostPort("203.0.113.10", 2379));
        assertThat(target.tlsServerName()).isEqualTo("homelab.mesh.cilium.io");
        assertThat(target.clusterName()).isEqualTo("homelab");
        assertThat(target.clusterId()).isEqualTo(1);
        assertThat(target.caPem()).isEqualTo("ca");
    }

    @Test
    void portForwardModeDialsTheDeclaredNameAndVerifiesThatName() {
        enableWith(service());

        ProbeTarget target = read("port-forward", Optional.of("home.example.net:32379"));

        assertThat(target.endpoint()).isEqualTo(new HostPort("home.example.net", 32379));
        assertThat(target.tlsServerName()).isEqualTo("home.example.net");
        assertThat(read("port-forward", Optional.empty()).problem()).contains("declares no endpoint");
    }

    @Test
    void tailscaleModeDialsTheTailnetAddressOfTheExposedService() {
        enableWith(service());

        ProbeTarget target = ProbeTarget.read(
                new ProbeTarget.Declared("homelab", "tailscale", Optional.empty(), false),
                new CrudGateway(client),
                NS,
                null,
                s -> Optional.of(TAILNET_IP));

        assertThat(target.mode()).isEqualTo(ReachabilityMode.TAILSCALE);
        assertThat(target.endpoint()).isEqualTo(new HostPort(TAILNET_IP, 2379));
        assertThat(ProbeTarget.read(
                                new ProbeTarget.Declared("homelab", "tailscale", Optional.empty(), false),
                                new CrudGateway(client),
                                NS,
                                null,
                                s -> Optional.empty())
                        .problem())
                .contains("no tailnet address");
    }

    private ProbeTarget read(String mode, Optional<String> endpoint) {
        return ProbeTarget.read(
                new ProbeTarget.Declared("homelab", mode, endpoint, false),
                new CrudGateway(client),
                NS,
                null,
                s -> Optional.empty());
    }

    private void enableWith(Service service) {
        client.resource(new ServiceBuilder(service).withStatus(null).build()).create();
        if (service.getStatus() != null) {
            client.services()
                    .inNamespace(NS)
                    .withName(service.getMetadata().getName())
                    .editStatus(s -> {
                        s.setStatus(service.getStatus());
                        return s;
                    });
        }
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("clustermesh-apiserver-remote-cert")
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(Map.of("ca.crt", "Y2E=", "tls.crt", "Y3J0", "tls.key", "a2V5"))
                        .build())
                .create();
    }

    private static Service service() {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName("clustermesh-apiserver")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withType("NodePort")
                .addNewPort()
                .withPort(2379)
                .withNodePort(32379)
                .endPort()
                .endSpec()
                .build();
    }
}
