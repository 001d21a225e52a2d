package io.clustermesh.controller.reachability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.cilium.ClusterConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalInt;

/** Reads etcd's JSON gateway answer to the cluster-config range request (contract §9). */
final class ClusterConfigAnswer {
    /** gRPC status codes as the gateway reports them in {@code "code"}. */
    private static final int GRPC_UNAVAILABLE = 14;
    private static final int GRPC_PERMISSION_DENIED = 7;
    private static final int MAX_QUOTED_BODY = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterConfigAnswer() {
    }

    /** The body of {@code POST /v3/kv/range} for the expected cluster's config key. */
    static String requestBody(String expectedClusterName) {
        String key = ClusterConfig.keyFor(expectedClusterName);
        return "{\"key\":\"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    static ProbeResult interpret(int status, String body, KvstoreProbeTarget target, Duration latency) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return new ProbeResult.Failed(latency, "etcd answered HTTP " + status + " with a body that is not JSON");
        }
        if (root == null) {
            root = JSON.createObjectNode();
        }
        int code = root.path("code").asInt(-1);
        String key = ClusterConfig.keyFor(target.expectedClusterName());
        if (status == 403 || code == GRPC_PERMISSION_DENIED) {
            return wrongCluster(target, latency, OptionalInt.empty(), "permission denied reading " + key
                    + ": the endpoint serves another cluster, or uses another tls.authMode");
        }
        if (status == 503 && code == GRPC_UNAVAILABLE) {
            // Seen with etcd 3.4: the gateway presents the server cert as its client cert to etcd's
            // own gRPC port; a server cert without clientAuth (cilium-certgen's) is refused.
            return new ProbeResult.Failed(latency, "etcd's HTTP gateway cannot reach etcd ("
                    + root.path("message").asText("unavailable")
                    + "); its server certificate may lack the clientAuth usage");
        }
        if (status != 200) {
            return new ProbeResult.Failed(latency, "etcd answered HTTP " + status + ": " + quote(body));
        }
        JsonNode kvs = root.path("kvs");
        if (!kvs.isArray() || kvs.isEmpty()) {
            return wrongCluster(target, latency, OptionalInt.empty(), "no " + key
                    + ": the endpoint serves another cluster, or its apiserver has not written its config yet");
        }
        ClusterConfig config;
        try {
            byte[] value = Base64.getDecoder().decode(kvs.get(0).path("value").asText(""));
            config = ClusterConfig.parse(new String(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return new ProbeResult.Failed(latency, "unreadable " + key + ": " + e.getMessage());
        }
        if (config.id() != target.expectedClusterId()) {
            return wrongCluster(target, latency, OptionalInt.of(config.id()), key + " has cluster id "
                    + config.id() + ", expected " + target.expectedClusterId());
        }
        return new ProbeResult.Ok(latency, config.id(), config.capabilities());
    }

    private static ProbeResult wrongCluster(KvstoreProbeTarget target, Duration latency, OptionalInt found,
            String reason) {
        return new ProbeResult.WrongCluster(latency, target.expectedClusterName(), target.expectedClusterId(),
                found, reason);
    }

    private static String quote(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() > MAX_QUOTED_BODY ? flat.substring(0, MAX_QUOTED_BODY) + "…" : flat;
    }
}
