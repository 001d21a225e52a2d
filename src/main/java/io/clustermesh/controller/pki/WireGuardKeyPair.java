package io.clustermesh.controller.pki;

import java.util.Arrays;

/**
 * A node's WireGuard key pair. The private half is the content of the agent's key file
 * ({@code /var/run/cilium/cilium_wg0.key}, raw 32 bytes; contract §10); it never appears in
 * {@link #toString()}. Accessors return copies so callers cannot alter the pair.
 */
public record WireGuardKeyPair(byte[] privateKey, byte[] publicKey) {

    public WireGuardKeyPair {
        privateKey = privateKey.clone();
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The value of the {@code network.cilium.io/wg-pub-key} annotation. */
    public String publicKeyBase64() {
        return WireGuardKeys.encode(publicKey);
    }

    public String fingerprint() {
        return WireGuardKeys.fingerprint(publicKey);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WireGuardKeyPair pair
                && Arrays.equals(privateKey, pair.privateKey)
                && Arrays.equals(publicKey, pair.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "WireGuardKeyPair[publicKey=" + publicKeyBase64() + ", privateKey=<redacted>]";
    }
}
