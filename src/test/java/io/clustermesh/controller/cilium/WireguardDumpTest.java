package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code wg show <if> dump} into the peer model Cilium's debuginfo also fills. */
class WireguardDumpTest {

    @Test
    void peersWithAndWithoutAHandshake() {
        String dump = "cHJpdmF0ZS1rZXktbmV2ZXIta2VwdA==\tcHVibGljLWtleS1vZi1pbnRlcmZhY2U=\t51871\toff\n"
                + "cGVlci1vbmU=\t(none)\t10.99.0.2:51871\t10.99.0.2/32\t1767225600\t1240\t1532\toff\n"
                + "cGVlci10d28=\t(none)\t(none)\t10.99.0.3/32,10.42.0.0/24\t0\t0\t444\t25\n";
        List<WireguardPeer> peers = WireguardDump.parsePeers(dump);
        assertThat(peers)
                .containsExactly(
                        new WireguardPeer(
                                "cGVlci1vbmU=",
                                "10.99.0.2:51871",
                                Instant.ofEpochSecond(1767225600),
                                List.of("10.99.0.2/32"),
                                1240,
                                1532),
                        new WireguardPeer("cGVlci10d28=", null, null, List.of("10.99.0.3/32", "10.42.0.0/24"), 0, 444));
        assertThat(peers.toString()).doesNotContain("cHJpdmF0ZS1rZXktbmV2ZXIta2VwdA==");
    }

    @Test
    void anInterfaceWithoutPeersHasNone() {
        assertThat(WireguardDump.parsePeers("a2V5\tcHVi\t51871\toff\n")).isEmpty();
    }

    @Test
    void aTruncatedPeerLineIsRefused() {
        assertThatThrownBy(() -> WireguardDump.parsePeers("a2V5\tcHVi\t51871\toff\ncGVlcg==\t(none)\n"))
                .isInstanceOf(MalformedCiliumOutputException.class);
    }
}
