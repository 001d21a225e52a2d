package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The value of {@code cilium/cluster-config/<cluster-name>} in a clustermesh-apiserver's etcd
 * (contract §9): {@code {"id":2,"capabilities":{"syncedCanaries":true,"maxConnectedClusters":255}}}.
 * Cilium omits empty fields, so an absent capability reads as false / 0 / null.
 */
public record ClusterConfig(int id, Capabilities capabilities) {
    public static final String KEY_PREFIX = CiliumNames.ETCD_CLUSTER_CONFIG_PREFIX;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param maxConnectedClusters 0 when absent (written by agents that predate the field)
     * @param serviceExportsEnabled null when absent (a *bool in Cilium, 1.17+)
     * @param endpointSlicesExportMode null when absent (1.19+)
     */
    public record Capabilities(
            boolean syncedCanaries,
            boolean cached,
            int maxConnectedClusters,
            Boolean serviceExportsEnabled,
            String endpointSlicesExportMode) {}

    /** The key a remote may read with the {@code remote} cert: only its own name (§3.6). */
    public static String keyFor(String clusterName) {
        return KEY_PREFIX + clusterName;
    }

    /** What a 1.17/1.18 clustermesh-apiserver writes for itself. */
    public static ClusterConfig of(int id, int maxConnectedClusters) {
        return new ClusterConfig(id, new Capabilities(true, false, maxConnectedClusters, false, null));
    }

    /** @throws MalformedCiliumOutputException when the text is not a cluster-config object with an id */
    public static ClusterConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new MalformedCiliumOutputException("cluster-config is not JSON", e);
        }
        if (root == null || !root.isObject() || !root.path("id").canConvertToInt()) {
            throw new MalformedCiliumOutputException("cluster-config has no numeric id");
        }
        JsonNode caps = root.path("capabilities");
        JsonNode exports = caps.path("serviceExportsEnabled");
        JsonNode sliceMode = caps.path("endpointSlicesExportMode");
        return new ClusterConfig(
                root.path("id").asInt(),
                new Capabilities(
                        caps.path("syncedCanaries").asBoolean(false),
                        caps.path("cached").asBoolean(false),
                        caps.path("maxConnectedClusters").asInt(0),
                        exports.isBoolean() ? exports.booleanValue() : null,
                        sliceMode.isTextual() ? sliceMode.textValue() : null));
    }

    /** Compact JSON in Go's field order with omitempty applied, as the apiserver stores it. */
    public String render() {
        ObjectNode root = JSON.createObjectNode();
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
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
