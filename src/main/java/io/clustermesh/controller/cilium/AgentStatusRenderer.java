package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardInterface;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardStatus;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the JSON the simulated agents publish, in the shapes real Cilium prints (contract §7.2),
 * so that {@link AgentStatusParser} reads simulated and real clusters alike. Go's omitempty is
 * reproduced on purpose (false/0/nil omitted, {@code last-failure} and {@code peers} always
 * present), otherwise the simulation would hide the parsing traps. Keys come in alphabetical
 * order, as in the captured outputs.
 */
public final class AgentStatusRenderer {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AgentStatusRenderer() {}

    /** {@code cilium-dbg status -o json} (peers are whatever the model holds; real status has null). */
    public static String renderStatus(AgentStatus status) {
        ObjectNode root = MAPPER.createObjectNode();
        if (status.clusterMesh() != null) {
            ObjectNode mesh = root.putObject("cluster-mesh");
            mesh.set("clusters", remoteClusters(status.clusterMesh().clusters()));
            putIfNonZero(mesh, "num-global-services", status.clusterMesh().numGlobalServices());
        }
        if (status.encryption() != null) {
            ObjectNode enc = root.putObject("encryption");
            putIfNonEmpty(enc, "mode", status.encryption().mode());
            putIfNonEmpty(enc, "msg", status.encryption().msg());
            if (status.encryption().wireguard() != null) {
                enc.set("wireguard", wireguard(status.encryption().wireguard()));
            }
        }
        return write(root);
    }

    /** The {@code encryption.wireguard} part of {@code cilium-dbg debuginfo --output json}. */
    public static String renderDebugInfoWireguard(WireguardStatus wireguard) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("encryption").set("wireguard", wireguard(wireguard));
        return write(root);
    }

    /** {@code kvstoremesh-dbg status -o json}: a bare array. */
    public static String renderKvstoreMeshStatus(List<RemoteCluster> remotes) {
        return write(remoteClusters(remotes));
    }

    private static ArrayNode remoteClusters(List<RemoteCluster> remotes) {
        ArrayNode array = MAPPER.createArrayNode();
        remotes.forEach(r -> array.add(remoteCluster(r)));
        return array;
    }

    private static ObjectNode remoteCluster(RemoteCluster r) {
        ObjectNode n = MAPPER.createObjectNode();
        if (r.config() != null) {
            RemoteCluster.Config c = r.config();
            ObjectNode config = n.putObject("config");
            putIfNonZero(config, "cluster-id", c.clusterId());
            putIfNonEmpty(config, "endpoint-slices-export-mode", c.endpointSlicesExportMode());
            putIfTrue(config, "kvstoremesh", c.kvstoremesh());
            putIfTrue(config, "required", c.required());
            putIfTrue(config, "retrieved", c.retrieved());
            putIfNotNull(config, "service-exports-enabled", c.serviceExportsEnabled());
            putIfTrue(config, "sync-canaries", c.syncCanaries());
        }
        putIfTrue(n, "connected", r.connected());
        n.put("last-failure", GoTime.format(r.lastFailure()));
        putIfNonEmpty(n, "name", r.name());
        putIfNonZero(n, "num-endpoint-slices", r.numEndpointSlices());
        putIfNonZero(n, "num-endpoints", r.numEndpoints());
        putIfNonZero(n, "num-failures", r.numFailures());
        putIfNonZero(n, "num-identities", r.numIdentities());
        putIfNonZero(n, "num-nodes", r.numNodes());
        putIfNonZero(n, "num-service-exports", r.numServiceExports());
        putIfNonZero(n, "num-shared-services", r.numSharedServices());
        putIfTrue(n, "ready", r.ready());
        putIfNonEmpty(n, "status", r.status());
        if (r.synced() != null) {
            RemoteCluster.Synced s = r.synced();
            ObjectNode synced = n.putObject("synced");
            putIfNotNull(synced, "endpoint-slices", s.endpointSlices());
            putIfTrue(synced, "endpoints", s.endpoints());
            putIfTrue(synced, "identities", s.identities());
            putIfTrue(synced, "nodes", s.nodes());
            putIfNotNull(synced, "service-exports", s.serviceExports());
            putIfTrue(synced, "services", s.services());
        }
        return n;
    }

    private static ObjectNode wireguard(WireguardStatus wg) {
        ObjectNode n = MAPPER.createObjectNode();
        ArrayNode interfaces = n.putArray("interfaces");
        for (WireguardInterface i : wg.interfaces()) {
            ObjectNode in = interfaces.addObject();
            putIfNonZero(in, "listen-port", i.listenPort());
            putIfNonEmpty(in, "name", i.name());
            putIfNonZero(in, "peer-count", i.peerCount());
            // No omitempty on peers: status prints "peers": null (§7.2).
            if (i.peers() == null) {
                in.putNull("peers");
            } else {
                ArrayNode peers = in.putArray("peers");
                i.peers().forEach(p -> peers.add(peer(p)));
            }
            putIfNonEmpty(in, "public-key", i.publicKey());
        }
        putIfNonEmpty(n, "node-encryption", wg.nodeEncryption());
        return n;
    }

    private static ObjectNode peer(WireguardPeer p) {
        ObjectNode n = MAPPER.createObjectNode();
        if (!p.allowedIps().isEmpty()) {
            ArrayNode ips = n.putArray("allowed-ips");
            p.allowedIps().forEach(ips::add);
        }
        putIfNonEmpty(n, "endpoint", p.endpoint());
        n.put("last-handshake-time", GoTime.format(p.lastHandshakeTime()));
        putIfNonEmpty(n, "public-key", p.publicKey());
        putIfNonZero(n, "transfer-rx", p.transferRx());
        putIfNonZero(n, "transfer-tx", p.transferTx());
        return n;
    }

    private static void putIfTrue(ObjectNode n, String field, boolean value) {
        if (value) {
            n.put(field, true);
        }
    }

    private static void putIfNotNull(ObjectNode n, String field, Boolean value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static void putIfNonZero(ObjectNode n, String field, long value) {
        if (value != 0) {
            n.put(field, value);
        }
    }

    private static void putIfNonEmpty(ObjectNode n, String field, String value) {
        if (value != null && !value.isEmpty()) {
            n.put(field, value);
        }
    }

    private static String write(Object node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
