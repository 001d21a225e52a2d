package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The value of {@code cilium/cluster-config/<cluster-name>} in a clustermesh-apiserver's etcd
 * (contract §9): {@code {"id":2,"capabilities":{"syncedCanaries":true,"maxConnectedClusters":255}}}.
 * Cilium omits empty fields, so an absent capability reads as false / 0 / null.
 */
public record ClusterConfig(int id, Capabilities capabilities) {
    public static final String KEY_PREFIX = "cilium/cluster-config/";

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

    /** @throws IllegalArgumentException when the text is not a cluster-config object with an id */
    public static ClusterConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("cluster-config is not JSON", e);
        }
        if (root == null || !root.isObject() || !root.path("id").canConvertToInt()) {
            throw new IllegalArgumentException("cluster-config has no numeric id");
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
}
