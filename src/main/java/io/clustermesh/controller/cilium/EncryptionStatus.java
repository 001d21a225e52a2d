package io.clustermesh.controller.cilium;

import java.time.Instant;
import java.util.List;

/**
 * {@code encryption} of {@code cilium-dbg status -o json} (contract §7.2) and of
 * {@code cilium-dbg debuginfo --output json}. Only debuginfo fills WireGuard peers; status asks the agent
 * without them and shows {@code "peers": null}, which we keep as a null list (not an empty one) so
 * "no peers reported" and "zero peers" stay distinguishable.
 *
 * @param mode {@code Disabled}, {@code IPsec} or {@code Wireguard}; null when absent (debuginfo)
 */
public record EncryptionStatus(String mode, String msg, WireguardStatus wireguard) {

    /** @param nodeEncryption {@code Disabled}, {@code Enabled} or {@code OptedOut} */
    public record WireguardStatus(List<WireguardInterface> interfaces, String nodeEncryption) {
        public WireguardStatus {
            interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        }
    }

    /** @param peers null when the source did not include peers ({@code cilium-dbg status}) */
    public record WireguardInterface(
            String name, int listenPort, String publicKey, long peerCount, List<WireguardPeer> peers) {
        public WireguardInterface {
            peers = peers == null ? null : List.copyOf(peers);
        }
    }

    /** @param lastHandshakeTime null for the zero time, i.e. never handshaken (§11: likely zero) */
    public record WireguardPeer(
            String publicKey,
            String endpoint,
            Instant lastHandshakeTime,
            List<String> allowedIps,
            long transferRx,
            long transferTx) {
        public WireguardPeer {
            allowedIps = allowedIps == null ? List.of() : List.copyOf(allowedIps);
        }
    }
}
