package io.clustermesh.controller.tailscale;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API v2 device and routes JSON (§3, §4) to records. */
final class DeviceJson {
    private DeviceJson() {}

    static List<Device> devices(JsonNode root) {
        List<Device> out = new ArrayList<>();
        JsonNode list = root.get("devices");
        if (list != null && list.isArray()) {
            list.forEach(d -> out.add(device(d)));
        }
        return out;
    }

    static Device device(JsonNode d) {
        return new Device(
                Json.text(d, "id"),
                Json.text(d, "nodeId"),
                Json.text(d, "name"),
                Json.text(d, "hostname"),
                Json.strings(d, "addresses"),
                Json.strings(d, "tags"),
                Json.text(d, "os"),
                Json.text(d, "clientVersion"),
                Json.bool(d, "connectedToControl"),
                Json.instant(d, "lastSeen"),
                Json.instant(d, "expires"),
                Json.bool(d, "keyExpiryDisabled"),
                Json.bool(d, "authorized"),
                Json.strings(d, "advertisedRoutes"),
                Json.strings(d, "enabledRoutes"),
                connectivity(d.get("clientConnectivity")));
    }

    static DeviceRoutes routes(JsonNode r) {
        return new DeviceRoutes(Json.strings(r, "advertisedRoutes"), Json.strings(r, "enabledRoutes"));
    }

    private static ClientConnectivity connectivity(JsonNode c) {
        if (c == null || !c.isObject()) {
            return null;
        }
        Map<String, ClientConnectivity.DerpLatency> latency = new LinkedHashMap<>();
        JsonNode l = c.get("latency");
        if (l != null && l.isObject()) {
            l.fields()
                    .forEachRemaining(e -> latency.put(
                            e.getKey(),
                            new ClientConnectivity.DerpLatency(
                                    Json.decimal(e.getValue(), "latencyMs"), Json.bool(e.getValue(), "preferred"))));
        }
        JsonNode s = c.get("clientSupports");
        ClientConnectivity.ClientSupports supports = new ClientConnectivity.ClientSupports(
                Json.nullableBool(s, "hairPinning"),
                Json.nullableBool(s, "ipv6"),
                Json.nullableBool(s, "pcp"),
                Json.nullableBool(s, "pmp"),
                Json.nullableBool(s, "udp"),
                Json.nullableBool(s, "upnp"));
        return new ClientConnectivity(
                Json.strings(c, "endpoints"),
                Json.text(c, "derp"),
                Json.nullableBool(c, "mappingVariesByDestIP"),
                latency,
                supports);
    }
}
