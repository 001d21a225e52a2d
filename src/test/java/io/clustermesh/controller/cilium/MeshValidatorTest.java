package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clustermesh.controller.cilium.MeshFinding.Severity;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshValidatorTest {

    private static MeshMember member(String key, Map<String, String> overrides) {
        Map<String, String> data = new HashMap<>(Map.of(
                "cluster-name",
                key,
                "cluster-id",
                String.valueOf(Math.abs(key.hashCode() % 200) + 1),
                "max-connected-clusters",
                "255",
                "enable-wireguard",
                "true",
                "cluster-pool-ipv4-cidr",
                "10." + (Math.abs(key.hashCode() % 200) + 1) + ".0.0/16"));
        data.putAll(overrides);
        return new MeshMember(key, CiliumConfig.fromData(data));
    }

    private static MeshMember homelab() {
        return new MeshMember("homelab", Fixtures.ciliumConfig("cilium-config-homelab.yaml"));
    }

    private static MeshMember cloud() {
        return new MeshMember("cloud", Fixtures.ciliumConfig("cilium-config-cloud.yaml"));
    }

    @Test
    void fixtureClustersFormAValidMesh() {
        assertThat(MeshValidator.validate(List.of(homelab(), cloud()))).isEmpty();
        assertThatCode(() -> MeshValidator.requireValid(List.of(homelab(), cloud())))
                .doesNotThrowAnyException();
    }

    @Test
    void duplicateIdIsAnErrorNamingBothClusters() {
        MeshMember other = member("cloud", Map.of("cluster-id", "1"));

        List<MeshFinding> findings = MeshValidator.validate(List.of(homelab(), other));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(ProblemType.DUPLICATE_CLUSTER_ID);
            assertThat(f.field()).isEqualTo("clusterId");
            assertThat(f.clusters()).containsExactly("homelab", "cloud");
            assertThat(f.message()).contains("cluster.id");
        });
    }

    @Test
    void duplicateNameUnderDifferentKeysIsAnError() {
        MeshMember twin = member("homelab-2", Map.of("cluster-name", "homelab", "cluster-id", "7"));

        ProblemException e = catchThrowableOfType(
                () -> MeshValidator.requireValid(List.of(homelab(), twin)), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.DUPLICATE_CLUSTER_NAME);
        assertThat(e.field()).isEqualTo("clusterName");
    }

    @Test
    void differentMaxConnectedClustersIsAnError() {
        MeshMember big = member("big", Map.of("max-connected-clusters", "511"));

        ProblemException e =
                catchThrowableOfType(() -> MeshValidator.requireValid(List.of(homelab(), big)), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.MISMATCHED_MAX_CONNECTED_CLUSTERS);
        assertThat(e.getMessage()).contains("homelab: 255").contains("big: 511");
    }

    @Test
    void nonCrdIdentityModeIsNotSupported() {
        MeshMember kv = member("kv", Map.of("identity-allocation-mode", "kvstore"));

        List<MeshFinding> findings = MeshValidator.validate(List.of(homelab(), kv));

        assertThat(findings).extracting(MeshFinding::field).containsExactly("identityAllocationMode");
        assertThat(findings.get(0).type()).isEqualTo(ProblemType.CILIUM_NOT_READY_FOR_MESH);
    }

    @Test
    void differentRoutingModesIsAnError() {
        MeshMember nativeRouting = member("native", Map.of("routing-mode", "native"));

        List<MeshFinding> findings = MeshValidator.validate(List.of(homelab(), nativeRouting));

        assertThat(findings).extracting(MeshFinding::field).containsExactly("routingMode");
        assertThat(findings.get(0).severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void differentTunnelProtocolIsOnlyAWarning() {
        MeshMember geneve = member("geneve", Map.of("tunnel-protocol", "geneve"));

        List<MeshFinding> findings = MeshValidator.validate(List.of(homelab(), geneve));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.field()).isEqualTo("tunnelProtocol");
        });
        assertThatCode(() -> MeshValidator.requireValid(List.of(homelab(), geneve)))
                .doesNotThrowAnyException();
    }

    @Test
    void wireguardOnOneSideOnlyIsAnError() {
        MeshMember plain = member("plain", Map.of("enable-wireguard", "false"));

        List<MeshFinding> findings = MeshValidator.validate(List.of(homelab(), plain));

        assertThat(findings).extracting(MeshFinding::field).containsExactly("wireguardEnabled");
        assertThat(findings.get(0).message()).contains("all clusters or on none");
    }

    @Test
    void ipsecOnOneSideOnlyIsAnError() {
        MeshMember a = member("a", Map.of("enable-wireguard", "false", "enable-ipsec", "true"));
        MeshMember b = member("b", Map.of("enable-wireguard", "false"));

        assertThat(MeshValidator.validate(List.of(a, b)))
                .extracting(MeshFinding::field)
                .containsExactly("ipsecEnabled");
    }

    @Test
    void overlappingPodCidrsAreAWarning() {
        MeshMember overlapping = member("overlap", Map.of("cluster-pool-ipv4-cidr", "10.0.0.0/8"));

        List<MeshFinding> findings = MeshValidator.validate(List.of(homelab(), overlapping));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.field()).isEqualTo("podCidrV4");
            assertThat(f.clusters()).containsExactly("homelab", "overlap");
        });
    }

    @Test
    void perClusterIdentityErrorsComeFirstAndNameTheCluster() {
        MeshMember unnamed = member("fresh", Map.of("cluster-name", "default", "cluster-id", "0"));

        List<MeshFinding> findings = MeshValidator.validate(List.of(homelab(), unnamed));

        assertThat(findings.get(0).type()).isEqualTo(ProblemType.INVALID_CLUSTER_NAME);
        assertThat(findings.get(0).clusters()).containsExactly("fresh");
        assertThat(findings.get(0).message()).startsWith("fresh: ");
    }
}
