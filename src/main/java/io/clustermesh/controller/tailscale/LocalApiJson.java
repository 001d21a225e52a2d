package io.clustermesh.controller.tailscale;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** LocalAPI JSON (Go field names, §8, §9) to records; unknown fields are ignored. */
final class LocalApiJson {
    private LocalApiJson() {}

    static LocalStatus status(JsonNode root) {
        List<PeerStatus> peers = new ArrayList<>();
        JsonNode peerMap = root.get("Peer");
        if (peerMap != null && peerMap.isObject()) {
            peerMap.forEach(p -> peers.add(peer(p)));
        }
        JsonNode self = root.get("Self");
        JsonNode tailnet = root.get("CurrentTailnet");
        String suffix = tailnet != null && tailnet.isObject()
                ? Json.text(tailnet, "MagicDNSSuffix")
                : Json.text(root, "MagicDNSSuffix");
        return new LocalStatus(
                Json.text(root, "Version"),
                Json.text(root, "BackendState"),
                Json.strings(root, "TailscaleIPs"),
                self != null && self.isObject() ? peer(self) : null,
                peers,
                Json.strings(root, "Health"),
                suffix);
    }

    static PeerStatus peer(JsonNode p) {
        return new PeerStatus(
                Json.text(p, "ID"),
                Json.number(p, "NodeID"),
                Json.text(p, "PublicKey"),
                Json.text(p, "HostName"),
                Json.text(p, "DNSName"),
                Json.text(p, "OS"),
                Json.strings(p, "TailscaleIPs"),
                Json.strings(p, "AllowedIPs"),
                Json.strings(p, "Tags"),
                Json.strings(p, "PrimaryRoutes"),
                Json.text(p, "CurAddr"),
                Json.text(p, "Relay"),
                Json.text(p, "PeerRelay"),
                Json.number(p, "RxBytes"),
                Json.number(p, "TxBytes"),
                Json.instant(p, "LastWrite"),
                Json.instant(p, "LastSeen"),
                Json.instant(p, "LastHandshake"),
                Json.bool(p, "Online"),
                Json.bool(p, "Active"),
                Json.bool(p, "Expired"),
                Json.instant(p, "KeyExpiry"));
    }

    static PingResult ping(JsonNode r) {
        long nanos = (long) (Json.decimal(r, "LatencySeconds") * 1_000_000_000L);
        return new PingResult(
                Json.text(r, "IP"),
                Json.text(r, "NodeIP"),
                Json.text(r, "NodeName"),
                Json.text(r, "Err"),
                Duration.ofNanos(nanos),
                Json.text(r, "Endpoint"),
                Json.text(r, "PeerRelay"),
                (int) Json.number(r, "DERPRegionID"),
                Json.text(r, "DERPRegionCode"),
                Json.bool(r, "IsLocalIP"));
    }

    /** §7: some handlers answer JSON {@code {"error"}}, most plain text. */
    static String error(HttpResponse response) {
        String text = response.bodyText().trim();
        try {
            JsonNode root = Json.parse(response.body());
            if (root != null && root.isObject() && !Json.text(root, "error").isEmpty()) {
                return Json.text(root, "error");
            }
        } catch (Exception notJson) {
            // plain text body, the usual case
        }
        return text.isEmpty() ? "(no body)" : (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
}
