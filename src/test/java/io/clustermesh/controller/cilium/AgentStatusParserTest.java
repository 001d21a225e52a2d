package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.cilium.EncryptionStatus.WireguardInterface;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentStatusParserTest {

    @Test
    void healthyRemoteIsReadWithAllCountsAndFlags() {
        AgentStatus status = AgentStatus.parse(Fixtures.text("cilium-dbg-status-healthy.json"));

        RemoteCluster cloud = status.remote("cloud").orElseThrow();
        assertThat(cloud.connected()).isTrue();
        assertThat(cloud.ready()).isTrue();
        assertThat(cloud.numNodes()).isEqualTo(3);
        assertThat(cloud.numEndpoints()).isEqualTo(14);
        assertThat(cloud.numIdentities()).isEqualTo(23);
        assertThat(cloud.numSharedServices()).isEqualTo(2);
        assertThat(cloud.numFailures()).isZero();
        assertThat(cloud.lastFailure()).as("zero time means no failure").isNull();
        assertThat(cloud.config()).isEqualTo(new RemoteCluster.Config(2, true, true, false, true, false, null));
        assertThat(cloud.synced()).isEqualTo(RemoteCluster.Synced.all());
        assertThat(cloud.status()).startsWith("etcd: 1/1 connected");
        assertThat(status.clusterMesh().numGlobalServices()).isEqualTo(2);
    }

    @Test
    void disconnectedRemoteHasAbsentBooleansReadAsFalse() {
        RemoteCluster cloud = AgentStatus.parse(Fixtures.text("cilium-dbg-status-remote-disconnected.json"))
                .remote("cloud")
                .orElseThrow();

        assertThat(cloud.connected()).isFalse();
        assertThat(cloud.ready()).isFalse();
        assertThat(cloud.config()).as("config absent stays unknown").isNull();
        assertThat(cloud.numFailures()).isEqualTo(3);
        assertThat(cloud.lastFailure()).isEqualTo(Instant.parse("2025-11-24T21:14:03.512Z"));
        assertThat(cloud.status()).isEqualTo("Waiting for initial connection to be established");
    }

    @Test
    void configMissingFixtureHasRequiredButNotRetrievedAndEmptySynced() {
        RemoteCluster remote = AgentStatus.parse(Fixtures.text("cilium-dbg-status-config-missing.json"))
                .remote("cloud-eu")
                .orElseThrow();

        assertThat(remote.connected()).isTrue();
        assertThat(remote.config().required()).isTrue();
        assertThat(remote.config().retrieved()).isFalse();
        assertThat(remote.config().clusterId()).isZero();
        assertThat(remote.synced())
                .as("present but empty")
                .isEqualTo(RemoteCluster.Synced.of(false, false, false, false));
        assertThat(remote.numNodes()).isZero();
    }

    @Test
    void kvstoreMeshAgentViewMarksTheConfigAsKvstoremesh() {
        AgentStatus status = AgentStatus.parse(Fixtures.text("cilium-dbg-status-kvstoremesh-healthy.json"));

        assertThat(status.remote("cloud").orElseThrow().config().kvstoremesh()).isTrue();
        assertThat(status.encryption()).isNull();
    }

    @Test
    void statusHasWireguardInterfaceWithPeerCountButNullPeers() {
        EncryptionStatus enc = AgentStatus.parse(Fixtures.text("cilium-dbg-status-healthy.json"))
                .encryption();

        assertThat(enc.mode()).isEqualTo("Wireguard");
        assertThat(enc.wireguard().nodeEncryption()).isEqualTo("Disabled");
        WireguardInterface wg0 = enc.wireguard().interfaces().get(0);
        assertThat(wg0.name()).isEqualTo("cilium_wg0");
        assertThat(wg0.listenPort()).isEqualTo(51871);
        assertThat(wg0.peerCount()).isEqualTo(4);
        assertThat(wg0.publicKey()).isEqualTo("KAWR/3qBr5j9b/5jyynuWhWudASEuBBlayaiB6F3qhA=");
        assertThat(wg0.peers()).isNull();
    }

    @Test
    void debuginfoHasPeersWithHandshakesAndTransfer() {
        WireguardStatus wg =
                AgentStatusParser.parseDebugInfoWireguard(Fixtures.text("cilium-dbg-debuginfo-encryption.json"));

        List<WireguardPeer> peers = wg.interfaces().get(0).peers();
        assertThat(peers).hasSize(4);
        assertThat(peers.get(0).allowedIps()).containsExactly("192.168.1.22/32");
        assertThat(peers.get(0).endpoint()).isEqualTo("192.168.1.22:51871");
        assertThat(peers.get(0).lastHandshakeTime()).isEqualTo(Instant.parse("2025-11-24T21:02:41Z"));
        assertThat(peers.get(0).transferRx()).isEqualTo(88213344);
        assertThat(peers.get(3).lastHandshakeTime()).as("never handshaken").isNull();
        assertThat(peers.get(3).transferRx()).as("omitted zero").isZero();
        assertThat(peers.get(3).transferTx()).isEqualTo(2368);
    }

    @Test
    void kvstoreMeshStatusIsABareArray() {
        List<RemoteCluster> remotes =
                AgentStatusParser.parseKvstoreMeshStatus(Fixtures.text("kvstoremesh-dbg-status.json"));

        assertThat(remotes).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("cloud");
            assertThat(r.ready()).isTrue();
            assertThat(r.numNodes()).as("kvstoremesh reports no counts").isZero();
        });
    }

    @Test
    void agentWithoutClusterMeshObjectHasNoRemotes() {
        AgentStatus status = AgentStatus.parse("{\"cilium\":{\"state\":\"Ok\"}}");

        assertThat(status.clusterMesh()).isNull();
        assertThat(status.remotes()).isEmpty();
        assertThat(status.remote("cloud")).isEmpty();
    }

    @Test
    void unknownFieldsOfNewerVersionsAreIgnored() {
        String json = "{\"cluster-mesh\":{\"clusters\":[{\"name\":\"cloud\",\"num-endpoint-slices\":5,"
                + "\"future-field\":{\"x\":1},\"last-failure\":\"0001-01-01T00:00:00.000Z\"}]}}";

        RemoteCluster cloud = AgentStatus.parse(json).remote("cloud").orElseThrow();

        assertThat(cloud.numEndpointSlices()).isEqualTo(5);
    }

    @Test
    void olderImageWithoutKvstoremeshDbgIsReportedAsUnsupported() {
        String output = "Error: unknown command \"kvstoremesh-dbg\" for \"clustermesh-apiserver\"";

        assertThat(AgentStatusParser.isUnknownCommand(output)).isTrue();
        assertThatThrownBy(() -> AgentStatusParser.parseKvstoreMeshStatus(output))
                .isInstanceOf(MalformedCiliumOutputException.class)
                .hasMessageContaining("not supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[1,2]"})
    void garbageIsAMalformedOutput(String output) {
        assertThatThrownBy(() -> AgentStatus.parse(output)).isInstanceOf(MalformedCiliumOutputException.class);
    }
}
