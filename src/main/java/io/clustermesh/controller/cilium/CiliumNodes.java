package io.clustermesh.controller.cilium;

import io.clustermesh.controller.contexts.ClusterGateway;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reading a cluster's CiliumNodes and the WireGuard keys they publish (contract §10). */
public final class CiliumNodes {
    private CiliumNodes() {}

    /** Every CiliumNode, by node name: one per node that runs an agent. */
    public static List<GenericKubernetesResource> all(ClusterGateway gateway) {
        return gateway.customResources(CiliumNames.CILIUM_NODE).stream()
                .sorted(Comparator.comparing(cn -> cn.getMetadata().getName()))
                .toList();
    }

    /** The key the node's CiliumNode publishes; empty when it has none or there is no such CiliumNode. */
    public static Optional<String> publishedKey(ClusterGateway gateway, String node) {
        return gateway.customResource(CiliumNames.CILIUM_NODE, node)
                .flatMap(cn -> WireguardNodeKey.publicKeyOf(cn.getMetadata()));
    }

    /** Node to published key, for the nodes that publish one. */
    public static Map<String, String> publishedKeys(ClusterGateway gateway) {
        Map<String, String> keys = new TreeMap<>();
        for (GenericKubernetesResource cn : gateway.customResources(CiliumNames.CILIUM_NODE)) {
            WireguardNodeKey.publicKeyOf(cn.getMetadata())
                    .ifPresent(k -> keys.put(cn.getMetadata().getName(), k));
        }
        return keys;
    }
}
