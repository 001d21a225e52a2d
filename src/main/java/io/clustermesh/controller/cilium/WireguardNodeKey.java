package io.clustermesh.controller.cilium;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Where Cilium publishes a node's WireGuard public key (contract §10): the CiliumNode annotation
 * {@code network.cilium.io/wg-pub-key}, with the legacy alias {@code io.cilium.network.wg-pub-key}
 * still read by agents. {@code spec.encryption.key} is version-dependent and deliberately ignored.
 */
public final class WireguardNodeKey {
    private WireguardNodeKey() {}

    /** The published key of a CiliumNode, current annotation first; empty when absent or blank. */
    public static Optional<String> publicKeyOf(ObjectMeta ciliumNodeMeta) {
        if (ciliumNodeMeta == null || ciliumNodeMeta.getAnnotations() == null) {
            return Optional.empty();
        }
        Map<String, String> annotations = ciliumNodeMeta.getAnnotations();
        String key = annotations.get(CiliumNames.WG_PUBKEY_ANNOTATION);
        if (key == null || key.isBlank()) {
            key = annotations.get(CiliumNames.WG_PUBKEY_ANNOTATION_LEGACY);
        }
        return key == null || key.isBlank() ? Optional.empty() : Optional.of(key.trim());
    }

    /** A WireGuard public key is standard base64 of exactly 32 bytes (44 characters). */
    public static boolean isWellFormed(String publicKey) {
        if (publicKey == null || publicKey.length() != 44) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(publicKey).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
