package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * The value of {@code cilium/cluster-config/<cluster-name>} in a clustermesh-apiserver etcd
 * (contract §9). Agents require it to accept a remote; reading it with the remote cert is only
 * allowed for the serving cluster's own name, which makes it the identity probe.
 */
public record EtcdClusterConfig(long id, Capabilities capabilities) {
    public static final String KEY_PREFIX = CiliumNames.ETCD_CLUSTER_CONFIG_PREFIX;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Go fields are omitempty; {@code serviceExportsEnabled} is a {@code *bool} [1.17+] and
     * {@code endpointSlicesExportMode} [1.19+], both null when absent.
     *
     * @param cached set on copies written by KVStoreMesh
     */
    public record Capabilities(
            boolean syncedCanaries,
            boolean cached,
            int maxConnectedClusters,
            Boolean serviceExportsEnabled,
            String endpointSlicesExportMode) {}

    public static String keyFor(String clusterName) {
        return KEY_PREFIX + clusterName;
    }

    /** What a 1.17/1.18 clustermesh-apiserver writes for itself. */
    public static EtcdClusterConfig of(long id, int maxConnectedClusters) {
        return new EtcdClusterConfig(id, new Capabilities(true, false, maxConnectedClusters, false, null));
    }

    public static EtcdClusterConfig parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedCiliumOutputException("cluster config is not JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedCiliumOutputException("cluster config: expected a JSON object");
        }
        JsonNode c = root.path("capabilities");
        JsonNode exports = c.get("serviceExportsEnabled");
        JsonNode slices = c.get("endpointSlicesExportMode");
        return new EtcdClusterConfig(
                root.path("id").asLong(0),
                new Capabilities(
                        c.path("syncedCanaries").asBoolean(false),
                        c.path("cached").asBoolean(false),
                        c.path("maxConnectedClusters").asInt(0),
                        exports == null || exports.isNull() ? null : exports.asBoolean(),
                        slices == null || slices.isNull() ? null : slices.asText()));
    }

    /** Compact JSON in Go's field order, omitempty applied, as the apiserver stores it. */
    public String render() {
        ObjectNode root = MAPPER.createObjectNode();
        if (id != 0) {
            root.put("id", id);
        }
        ObjectNode c = root.putObject("capabilities");
        if (capabilities != null) {
            if (capabilities.syncedCanaries()) {
                c.put("syncedCanaries", true);
            }
            if (capabilities.cached()) {
                c.put("cached", true);
            }
            if (capabilities.maxConnectedClusters() != 0) {
                c.put("maxConnectedClusters", capabilities.maxConnectedClusters());
            }
            if (capabilities.serviceExportsEnabled() != null) {
                c.put("serviceExportsEnabled", capabilities.serviceExportsEnabled());
            }
            if (capabilities.endpointSlicesExportMode() != null) {
                c.put("endpointSlicesExportMode", capabilities.endpointSlicesExportMode());
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
