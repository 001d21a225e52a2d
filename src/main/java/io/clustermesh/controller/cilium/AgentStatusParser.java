package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.cilium.AgentStatus.ClusterMeshStatus;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardInterface;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON the agent and KVStoreMesh debug CLIs print (contract §7.1 step 6, §7.2). Read
 * field by field from the tree rather than bound to annotated classes, because the omitempty rules
 * (absent = false/0, but absent {@code config}/{@code synced} = unknown) are the point.
 * Unknown fields are ignored: newer Cilium versions add fields.
 */
public final class AgentStatusParser {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AgentStatusParser() {}

    /** {@code cilium-dbg status -o json}. */
    public static AgentStatus parseStatus(String json) {
        JsonNode root = readObject(json, "cilium-dbg status");
        JsonNode mesh = root.get("cluster-mesh");
        ClusterMeshStatus clusterMesh = present(mesh)
                ? new ClusterMeshStatus(
                        remoteClusters(mesh.get("clusters")),
                        mesh.path("num-global-services").asLong(0))
                : null;
        JsonNode enc = root.get("encryption");
        return new AgentStatus(clusterMesh, present(enc) ? encryption(enc) : null);
    }

    /** {@code cilium-dbg debuginfo --output json} → {@code encryption.wireguard}, the only source of peers (§7.2). */
    public static WireguardStatus parseDebugInfoWireguard(String json) {
        JsonNode wg =
                readObject(json, "cilium-dbg debuginfo").path("encryption").get("wireguard");
        return present(wg) ? wireguard(wg) : null;
    }

    /** {@code clustermesh-apiserver kvstoremesh-dbg status -o json}: a bare JSON array of RemoteCluster. */
    public static List<RemoteCluster> parseKvstoreMeshStatus(String json) {
        if (isUnknownCommand(json)) {
            throw new MalformedCiliumOutputException(
                    "kvstoremesh-dbg is not supported by this clustermesh-apiserver image");
        }
        JsonNode root = read(json, "kvstoremesh-dbg status");
        if (root.isNull()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw new MalformedCiliumOutputException("kvstoremesh-dbg status: expected a JSON array");
        }
        return remoteClusters(root);
    }

    /** §7.1 step 6: older images answer "unknown command"; cilium-cli then reports KVStoreMesh status as unsupported. */
    public static boolean isUnknownCommand(String output) {
        return output != null && output.contains("unknown command");
    }

    public static RemoteCluster remoteCluster(JsonNode n) {
        JsonNode config = n.get("config");
        JsonNode synced = n.get("synced");
        return new RemoteCluster(
                text(n, "name"),
                n.path("connected").asBoolean(false),
                n.path("ready").asBoolean(false),
                text(n, "status"),
                n.path("num-nodes").asLong(0),
                n.path("num-endpoints").asLong(0),
                n.path("num-identities").asLong(0),
                n.path("num-shared-services").asLong(0),
                n.path("num-service-exports").asLong(0),
                n.path("num-endpoint-slices").asLong(0),
                n.path("num-failures").asLong(0),
                GoTime.parseOrNull(text(n, "last-failure")),
                present(config) ? config(config) : null,
                present(synced) ? synced(synced) : null);
    }

    private static List<RemoteCluster> remoteClusters(JsonNode array) {
        List<RemoteCluster> result = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> result.add(remoteCluster(n)));
        }
        return result;
    }

    private static RemoteCluster.Config config(JsonNode c) {
        return new RemoteCluster.Config(
                c.path("cluster-id").asLong(0),
                c.path("required").asBoolean(false),
                c.path("retrieved").asBoolean(false),
                c.path("kvstoremesh").asBoolean(false),
                c.path("sync-canaries").asBoolean(false),
                optionalBoolean(c, "service-exports-enabled"),
                text(c, "endpoint-slices-export-mode"));
    }

    private static RemoteCluster.Synced synced(JsonNode s) {
        return new RemoteCluster.Synced(
                s.path("nodes").asBoolean(false),
                s.path("endpoints").asBoolean(false),
                s.path("identities").asBoolean(false),
                s.path("services").asBoolean(false),
                optionalBoolean(s, "service-exports"),
                optionalBoolean(s, "endpoint-slices"));
    }

    private static EncryptionStatus encryption(JsonNode e) {
        JsonNode wg = e.get("wireguard");
        return new EncryptionStatus(text(e, "mode"), text(e, "msg"), present(wg) ? wireguard(wg) : null);
    }

    private static WireguardStatus wireguard(JsonNode wg) {
        List<WireguardInterface> interfaces = new ArrayList<>();
        JsonNode array = wg.get("interfaces");
        if (array != null && array.isArray()) {
            for (JsonNode i : array) {
                JsonNode peers = i.get("peers");
                interfaces.add(new WireguardInterface(
                        text(i, "name"),
                        i.path("listen-port").asInt(0),
                        text(i, "public-key"),
                        i.path("peer-count").asLong(0),
                        peers != null && peers.isArray() ? peers(peers) : null));
            }
        }
        return new WireguardStatus(interfaces, text(wg, "node-encryption"));
    }

    private static List<WireguardPeer> peers(JsonNode array) {
        List<WireguardPeer> peers = new ArrayList<>();
        for (JsonNode p : array) {
            List<String> allowed = new ArrayList<>();
            p.path("allowed-ips").forEach(ip -> allowed.add(ip.asText()));
            peers.add(new WireguardPeer(
                    text(p, "public-key"),
                    text(p, "endpoint"),
                    GoTime.parseOrNull(text(p, "last-handshake-time")),
                    allowed,
                    p.path("transfer-rx").asLong(0),
                    p.path("transfer-tx").asLong(0)));
        }
        return peers;
    }

    private static Boolean optionalBoolean(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return present(v) ? v.asBoolean() : null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return present(v) ? v.asText() : null;
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull() && !n.isMissingNode();
    }

    private static JsonNode readObject(String json, String what) {
        JsonNode root = read(json, what);
        if (!root.isObject()) {
            throw new MalformedCiliumOutputException(what + ": expected a JSON object");
        }
        return root;
    }

    private static JsonNode read(String json, String what) {
        if (json == null || json.isBlank()) {
            throw new MalformedCiliumOutputException(what + ": empty output");
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedCiliumOutputException(what + ": not JSON (" + e.getOriginalMessage() + ")", e);
        }
    }
}
