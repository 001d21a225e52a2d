package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermesh.controller.cilium.AgentStatus.ClusterMeshStatus;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardInterface;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentStatusRendererTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "cilium-dbg-status-healthy.json",
                "cilium-dbg-status-remote-disconnected.json",
                "cilium-dbg-status-config-missing.json",
                "cilium-dbg-status-kvstoremesh-healthy.json"
            })
    void renderingAParsedStatusFixtureReproducesTheFixtureJson(String fixture) {
        String rendered = AgentStatusRenderer.renderStatus(AgentStatus.parse(Fixtures.text(fixture)));

        assertThat(Fixtures.readJson(rendered)).isEqualTo(Fixtures.json(fixture));
    }

    @Test
    void renderingParsedDebuginfoReproducesTheFixtureJson() {
        String fixture = "cilium-dbg-debuginfo-encryption.json";
        WireguardStatus wg = AgentStatusParser.parseDebugInfoWireguard(Fixtures.text(fixture));

        assertThat(Fixtures.readJson(AgentStatusRenderer.renderDebugInfoWireguard(wg)))
                .isEqualTo(Fixtures.json(fixture));
    }

    @Test
    void renderingParsedKvstoreMeshStatusReproducesTheFixtureJson() {
        String fixture = "kvstoremesh-dbg-status.json";
        List<RemoteCluster> remotes = AgentStatusParser.parseKvstoreMeshStatus(Fixtures.text(fixture));

        assertThat(Fixtures.readJson(AgentStatusRenderer.renderKvstoreMeshStatus(remotes)))
                .isEqualTo(Fixtures.json(fixture));
    }

    @Test
    void simulatedStatusRoundTripsThroughTheRealParser() {
        RemoteCluster flapping = new RemoteCluster(
                "cloud",
                true,
                false,
                "etcd: 1/1 connected",
                3,
                14,
                23,
                2,
                1,
                0,
                5,
                Instant.parse("2025-11-24T21:14:03.512Z"),
                new RemoteCluster.Config(2, true, true, true, true, true, "cilium"),
                new RemoteCluster.Synced(true, false, true, true, false, true));
        RemoteCluster fresh = new RemoteCluster(
                "edge",
                false,
                false,
                "Waiting for initial connection to be established",
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                null,
                null,
                null);
        WireguardInterface wg0 = new WireguardInterface(
                "cilium_wg0",
                51871,
                "KAWR/3qBr5j9b/5jyynuWhWudASEuBBlayaiB6F3qhA=",
                1,
                List.of(new WireguardPeer(
                        "B5moJ6dCjzPID9DkmeusSDeIqTEZNED7+rvvJPsd2WQ=",
                        "192.168.1.22:51871",
                        null,
                        List.of("192.168.1.22/32"),
                        0,
                        10)));
        AgentStatus input = new AgentStatus(
                new ClusterMeshStatus(List.of(flapping, fresh), 2),
                new EncryptionStatus("Wireguard", null, new WireguardStatus(List.of(wg0), "Disabled")));

        assertThat(AgentStatus.parse(AgentStatusRenderer.renderStatus(input))).isEqualTo(input);
    }

    @Test
    void renderingKeepsGoOmitemptyRules() {
        RemoteCluster fresh = new RemoteCluster("edge", false, false, null, 0, 0, 0, 0, 0, 0, 0, null, null, null);
        WireguardInterface noPeers = new WireguardInterface("cilium_wg0", 51871, "k", 0, null);
        AgentStatus input = new AgentStatus(
                new ClusterMeshStatus(List.of(fresh), 0),
                new EncryptionStatus("Wireguard", null, new WireguardStatus(List.of(noPeers), null)));

        JsonNode json = Fixtures.readJson(AgentStatusRenderer.renderStatus(input));

        JsonNode edge = json.path("cluster-mesh").path("clusters").get(0);
        assertThat(edge.has("connected")).as("false is omitted").isFalse();
        assertThat(edge.has("ready")).isFalse();
        assertThat(edge.has("num-nodes")).as("zero is omitted").isFalse();
        assertThat(edge.has("config")).isFalse();
        assertThat(edge.path("last-failure").asText()).as("never omitted").isEqualTo("0001-01-01T00:00:00.000Z");
        assertThat(json.path("cluster-mesh").has("num-global-services")).isFalse();
        JsonNode iface =
                json.path("encryption").path("wireguard").path("interfaces").get(0);
        assertThat(iface.has("peers")).isTrue();
        assertThat(iface.get("peers").isNull()).as("status prints peers: null").isTrue();
    }
}
