package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermesh.controller.problems.ProblemException;
import io.fabric8.kubernetes.api.model.HostAlias;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterMeshSecretEntriesTest {
    /** cloud's clustermesh-apiserver LoadBalancer (fixtures README). */
    private static final RemoteEndpoint CLOUD =
            new RemoteEndpoint.ViaHostAliases("cloud", List.of("203.0.113.10"), 2379);

    @Test
    void sharedCaDirectEntryMatchesTheFixtureByteForByte() {
        Map<String, String> expected = Fixtures.stringMap(
                "cilium-clustermesh-homelab-direct-sharedca.yaml", "cilium-clustermesh", "stringData");

        assertThat(ClusterMeshSecretEntries.directEntries(CLOUD, null)).isEqualTo(expected);
    }

    @Test
    void ownCaDirectEntriesMatchTheFixtureByteForByte() {
        Map<String, String> expected =
                Fixtures.stringMap("cilium-clustermesh-homelab-direct-ownca.yaml", "cilium-clustermesh", "stringData");
        // The fixture's PEMs are placeholders: feed them in, so every other byte is ours.
        RemoteClientTls tls = new RemoteClientTls(
                expected.get("cloud.etcd-client-ca.crt"),
                expected.get("cloud.etcd-client.crt"),
                expected.get("cloud.etcd-client.key"));

        Map<String, String> entries = ClusterMeshSecretEntries.directEntries(CLOUD, tls);

        assertThat(entries).isEqualTo(expected);
        assertThat(entries.keySet())
                .containsExactlyInAnyOrderElementsOf(ClusterMeshSecretEntries.entryKeysFor("cloud", false));
    }

    @Test
    void kvstoreMeshSecretsMatchTheFixtureByteForByte() {
        String fixture = "cilium-clustermesh-homelab-kvstoremesh.yaml";

        assertThat(ClusterMeshSecretEntries.directEntries(CLOUD, null))
                .isEqualTo(Fixtures.stringMap(fixture, "cilium-kvstoremesh", "stringData"));
        assertThat(ClusterMeshSecretEntries.kvstoreMeshAgentEntries("cloud", "kube-system", CiliumVersion.V1_17))
                .isEqualTo(Fixtures.stringMap(fixture, "cilium-clustermesh", "stringData"));
    }

    @Test
    void cilium116KvstoreMeshAgentEntryUsesCommonFiles() {
        String entry = ClusterMeshSecretEntries.kvstoreMeshAgentEntries(
                        "cloud", "cilium", CiliumVersion.parse("v1.16.19"))
                .get("cloud");

        assertThat(entry).isEqualTo("""
                endpoints:
                - https://clustermesh-apiserver.cilium.svc:2379
                trusted-ca-file: /var/lib/cilium/clustermesh/common-etcd-client-ca.crt
                key-file: /var/lib/cilium/clustermesh/common-etcd-client.key
                cert-file: /var/lib/cilium/clustermesh/common-etcd-client.crt""");
    }

    @Test
    void addressFormUsesTheAddressAndNeedsNoHostAlias() {
        RemoteEndpoint byName = new RemoteEndpoint.ViaAddress("cloud", "cloud-mesh.example.net", 32379);

        assertThat(ClusterMeshSecretEntries.directEntries(byName, null).get("cloud"))
                .startsWith("endpoints:\n- https://cloud-mesh.example.net:32379\n");
        assertThat(ClusterMeshSecretEntries.hostAliasesFor(byName)).isEmpty();
    }

    @Test
    void hostAliasesMatchTheDaemonSetPatchFixture() {
        JsonNode expected = Fixtures.yamlDocuments("agent-daemonset-hostaliases-patch.yaml")
                .get(0)
                .path("spec")
                .path("template")
                .path("spec")
                .path("hostAliases");

        List<HostAlias> aliases = ClusterMeshSecretEntries.hostAliasesFor(CLOUD);

        JsonNode rendered = Fixtures.JSON.valueToTree(aliases);
        assertThat(rendered).isEqualTo(expected);
        assertThat(ClusterMeshSecretEntries.isHostAliasFor(aliases.get(0), "cloud"))
                .isTrue();
        assertThat(ClusterMeshSecretEntries.isHostAliasFor(aliases.get(0), "cloud-eu"))
                .isFalse();
    }

    @Test
    void oneHostAliasPerIp() {
        RemoteEndpoint twoIps =
                new RemoteEndpoint.ViaHostAliases("cloud", List.of("203.0.113.10", "203.0.113.11"), 2379);

        assertThat(ClusterMeshSecretEntries.hostAliasesFor(twoIps))
                .extracting(HostAlias::getIp)
                .containsExactly("203.0.113.10", "203.0.113.11");
        assertThat(twoIps.url()).isEqualTo("https://cloud.mesh.cilium.io:2379");
    }

    @Test
    void entryKeysForSharedCaIsJustTheEntry() {
        assertThat(ClusterMeshSecretEntries.entryKeysFor("cloud", true)).containsExactly("cloud");
        assertThat(ClusterMeshSecretEntries.allKeysPossiblyOwnedBy("cloud"))
                .containsExactly("cloud", "cloud.etcd-client-ca.crt", "cloud.etcd-client.crt", "cloud.etcd-client.key");
    }

    @Test
    void onlyValuesWithEndpointsAreRemoteClusters() {
        Map<String, String> data = new LinkedHashMap<>(
                ClusterMeshSecretEntries.directEntries(CLOUD, new RemoteClientTls("ca", "crt", "key")));
        data.putAll(
                ClusterMeshSecretEntries.directEntries(new RemoteEndpoint.ViaAddress("homelab", "h.example", 1), null));

        assertThat(ClusterMeshSecretEntries.isRemoteClusterEntry("cloud", data.get("cloud")))
                .isTrue();
        assertThat(ClusterMeshSecretEntries.isRemoteClusterEntry("cloud.etcd-client.key", "key"))
                .isFalse();
        assertThat(ClusterMeshSecretEntries.expectedRemotes(data, "homelab"))
                .as("local name skipped")
                .containsExactly("cloud");
    }

    @Test
    void remoteNamesMustBeSingleDnsLabels() {
        assertThatThrownBy(() -> new RemoteEndpoint.ViaHostAliases("Cloud.EU", List.of("1.2.3.4"), 2379))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void clientTlsNeverPrintsTheKey() {
        assertThat(new RemoteClientTls("ca", "crt", "SECRET").toString()).doesNotContain("SECRET");
    }
}
