package io.clustermesh.controller.wireguard;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.WireguardNodeKey;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.pki.WireGuardKeys;
import io.clustermesh.controller.problems.ProblemException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Reading node keys and agent pods as a rotation needs them: published keys, their fingerprints, agents by node. */
final class NodeKeys {
    static final Map<String, String> AGENT_LABELS =
            Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE);

    private NodeKeys() {}

    /** Why a published key is unusable, or null (32 bytes of canonical base64, not all zeroes). */
    static String problemWith(String publicKey) {
        try {
            WireGuardKeys.validatePublicKey(publicKey, "publicKey");
            return null;
        } catch (ProblemException e) {
            return e.getMessage();
        }
    }

    static String fingerprint(String publicKey) {
        return WireGuardKeys.fingerprint(Base64.getDecoder().decode(publicKey));
    }

    static String published(GenericKubernetesResource ciliumNode) {
        return WireguardNodeKey.publicKeyOf(ciliumNode.getMetadata()).orElse(null);
    }

    /**
     * Another node publishing {@code key}, named {@code cluster/node}, or null when the key is unique.
     * {@code keysByCluster}: per cluster (this one and the connected ones), node to published key.
     */
    static String usedElsewhere(
            String cluster, String node, String key, Map<String, Map<String, String>> keysByCluster) {
        for (var c : keysByCluster.entrySet()) {
            for (var n : c.getValue().entrySet()) {
                boolean self = c.getKey().equals(cluster) && n.getKey().equals(node);
                if (!self && key.equals(n.getValue())) {
                    return c.getKey() + "/" + n.getKey();
                }
            }
        }
        return null;
    }

    /** The agent pod of each node; a pod already being deleted no longer counts as the node's agent. */
    static Map<String, Pod> agentsByNode(ClusterGateway gateway, String namespace) {
        Map<String, Pod> byNode = new HashMap<>();
        for (Pod pod : gateway.pods(namespace, AGENT_LABELS)) {
            if (pod.getSpec() != null
                    && pod.getSpec().getNodeName() != null
                    && pod.getMetadata().getDeletionTimestamp() == null) {
                byNode.put(pod.getSpec().getNodeName(), pod);
            }
        }
        return byNode;
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
