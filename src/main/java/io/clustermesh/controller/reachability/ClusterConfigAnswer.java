package io.clustermesh.controller.reachability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.cilium.ClusterConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalInt;

/**
 * Turns etcd's answer to "range {@code cilium/cluster-config/<expected name>}" into a probe result
 * (contract §9), for both transports.
 */
final class ClusterConfigAnswer {
    /** gRPC status codes, also reported by the JSON gateway in {@code "code"}. */
    static final int GRPC_OK = 0;

    static final int GRPC_PERMISSION_DENIED = 7;
    static final int GRPC_UNAVAILABLE = 14;
    private static final int MAX_QUOTED = 200;
    /** etcd ≥ 3.3 refuses gateway requests with a client cert CN once auth is on (Cilium's etcdinit enables it, §3.1). */
    private static final String GATEWAY_IGNORES_CN = "CommonName of client sending a request against gateway";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterConfigAnswer() {}

    static String key(KvstoreProbeTarget target) {
        return ClusterConfig.keyFor(target.expectedClusterName());
    }

    /** The range found {@code value} (null when the key does not exist). */
    static ProbeResult fromValue(byte[] value, KvstoreProbeTarget target, Duration latency) {
        String key = key(target);
        if (value == null) {
            return wrongCluster(
                    target,
                    latency,
                    OptionalInt.empty(),
                    "no " + key
                            + ": the endpoint serves another cluster, or its apiserver has not written its config yet");
        }
        ClusterConfig config;
        try {
            config = ClusterConfig.parse(new String(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return new ProbeResult.Failed(latency, "unreadable " + key + ": " + e.getMessage());
        }
        if (config.id() != target.expectedClusterId()) {
            return wrongCluster(
                    target,
                    latency,
                    OptionalInt.of(config.id()),
                    key + " has cluster id " + config.id() + ", expected " + target.expectedClusterId());
        }
        return new ProbeResult.Ok(latency, config.id(), config.capabilities());
    }

    /**
     * The {@code remote} role may read only the serving cluster's own config key (§3.6), so a
     * permission error on the expected name means the endpoint serves another name (§9).
     */
    static ProbeResult permissionDenied(KvstoreProbeTarget target, Duration latency) {
        return wrongCluster(
                target,
                latency,
                OptionalInt.empty(),
                "permission denied reading " + key(target)
                        + ": the endpoint serves another cluster, or uses another tls.authMode");
    }

    /** A gRPC status other than OK from {@code etcdserverpb.KV/Range}. */
    static ProbeResult fromGrpcError(int status, String message, KvstoreProbeTarget target, Duration latency) {
        if (status == GRPC_PERMISSION_DENIED) {
            return permissionDenied(target, latency);
        }
        return new ProbeResult.Failed(
                latency, "etcd refused the range request (gRPC status " + status + "): " + quote(message));
    }

    /** An answer of the JSON gateway ({@code POST /v3/kv/range}). */
    static ProbeResult fromGateway(int status, String body, KvstoreProbeTarget target, Duration latency) {
        if (status == 400 && body.contains(GATEWAY_IGNORES_CN)) {
            return new ProbeResult.Failed(
                    latency,
                    "etcd has auth enabled and its JSON gateway ignores client "
                            + "certificates; probe with the gRPC transport");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return new ProbeResult.Failed(latency, "etcd answered HTTP " + status + ": " + quote(body));
        }
        int code = root == null ? -1 : root.path("code").asInt(-1);
        if (status == 403 || code == GRPC_PERMISSION_DENIED) {
            return permissionDenied(target, latency);
        }
        if (status == 503 && code == GRPC_UNAVAILABLE) {
            // Seen with etcd 3.4: the gateway presents the server cert as its client cert to etcd's
            // own gRPC port; a server cert without clientAuth (cilium-certgen's) is refused.
            return new ProbeResult.Failed(
                    latency,
                    "etcd's HTTP gateway cannot reach etcd ("
                            + root.path("message").asText("unavailable")
                            + "); its server certificate may lack the clientAuth usage");
        }
        if (status != 200 || root == null) {
            return new ProbeResult.Failed(latency, "etcd answered HTTP " + status + ": " + quote(body));
        }
        JsonNode kvs = root.path("kvs");
        if (!kvs.isArray() || kvs.isEmpty()) {
            return fromValue(null, target, latency);
        }
        try {
            return fromValue(Base64.getDecoder().decode(kvs.get(0).path("value").asText("")), target, latency);
        } catch (IllegalArgumentException e) {
            return new ProbeResult.Failed(latency, "unreadable " + key(target) + ": value is not base64");
        }
    }

    private static ProbeResult wrongCluster(
            KvstoreProbeTarget target, Duration latency, OptionalInt found, String reason) {
        return new ProbeResult.WrongCluster(
                latency, target.expectedClusterName(), target.expectedClusterId(), found, reason);
    }

    private static String quote(String text) {
        String flat = String.valueOf(text).replaceAll("\\s+", " ").strip();
        return flat.length() > MAX_QUOTED ? flat.substring(0, MAX_QUOTED) + "…" : flat;
    }
}
