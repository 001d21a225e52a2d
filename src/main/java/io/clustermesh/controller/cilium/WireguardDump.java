package io.clustermesh.controller.cilium;

import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code wg show <interface> dump} into the same peer model as Cilium's debuginfo peers
 * ({@link EncryptionStatus.WireguardPeer}), so one judgement serves both. The format is
 * tab-separated: the first line is the interface (its private key is skipped, never kept), then
 * one line per peer: public key, preshared key, endpoint, allowed IPs, latest handshake (Unix
 * seconds, 0 = never), rx bytes, tx bytes, persistent keepalive.
 */
public final class WireguardDump {
    private WireguardDump() {}

    public static List<WireguardPeer> parsePeers(String dump) {
        List<WireguardPeer> peers = new ArrayList<>();
        String[] lines = dump == null ? new String[0] : dump.strip().split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            if (f.length < 8) {
                throw new MalformedCiliumOutputException(
                        "wg show dump: peer line " + i + " has " + f.length + " fields, expected 8");
            }
            long handshake = Long.parseLong(f[4].trim());
            List<String> allowed = f[3].equals("(none)") || f[3].isBlank() ? List.of() : Arrays.asList(f[3].split(","));
            peers.add(new WireguardPeer(
                    f[0],
                    f[2].equals("(none)") ? null : f[2],
                    handshake == 0 ? null : Instant.ofEpochSecond(handshake),
                    allowed,
                    Long.parseLong(f[5].trim()),
                    Long.parseLong(f[6].trim())));
        }
        return peers;
    }
}
