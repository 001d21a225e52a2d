package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumRelease;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's copy of the Secrets an agent pod mounts under {@code /var/lib/cilium/clustermesh}
 * (the chart's {@code clustermesh-secrets} projected volume). A real kubelet refreshes such a
 * volume on its periodic pod sync, so a Secret written now reaches the files up to a minute
 * later, and each node at its own moment. Here the period is short and every node has its own
 * phase, so a test that reads too early sees the old file, as it would on a real node.
 */
final class SimulatedKubelet {
    static final Duration SYNC_PERIOD = Duration.ofSeconds(2);
    private static final String DIR = CiliumNames.CLUSTERMESH_CONFIG_DIR;

    private final SimulatedCluster cluster;
    /** The volume as the API server holds it now; taken by the control loop, never on an API server thread. */
    private volatile Map<String, String> current = Map.of();

    private final Map<String, Map<String, String>> filesByNode = new ConcurrentHashMap<>();
    private final Map<String, Instant> syncedAt = new ConcurrentHashMap<>();

    SimulatedKubelet(SimulatedCluster cluster) {
        this.cluster = cluster;
    }

    /** The content of {@code path} as the agent on {@code node} reads it now; empty when no such file is mounted. */
    Optional<String> read(String node, String path, Instant now) {
        Instant last = syncedAt.get(node);
        Duration offset = Duration.ofMillis(Math.floorMod(node.hashCode(), SYNC_PERIOD.toMillis()));
        if (last == null || !now.isBefore(last.plus(SYNC_PERIOD).plus(offset))) {
            filesByNode.put(node, current);
            syncedAt.put(node, now);
        }
        return Optional.ofNullable(filesByNode.get(node).get(path));
    }

    /** Called by the cluster's control loop after a write: what the next sync of each node will deliver. */
    void observe() {
        current = Map.copyOf(projected());
    }

    /** The volume as the chart's agent DaemonSet projects it (local-cert items only from 1.16). */
    private Map<String, String> projected() {
        Map<String, String> files = new HashMap<>();
        String ns = CiliumNames.DEFAULT_NAMESPACE;
        secret(ns, CiliumNames.CLUSTERMESH_SECRET).ifPresent(s -> decoded(s).forEach((k, v) -> files.put(DIR + k, v)));
        secret(ns, CiliumNames.REMOTE_CERT_SECRET).ifPresent(s -> projectTls(files, decoded(s), "common"));
        if (CiliumRelease.parse(cluster.spec().ciliumVersion()).line().minor() >= 16) {
            secret(ns, CiliumNames.LOCAL_CERT_SECRET).ifPresent(s -> projectTls(files, decoded(s), "local"));
        }
        return files;
    }

    private static void projectTls(Map<String, String> files, Map<String, String> data, String prefix) {
        put(files, DIR + prefix + "-etcd-client.key", data.get(CiliumNames.TLS_KEY));
        put(files, DIR + prefix + "-etcd-client.crt", data.get(CiliumNames.TLS_CRT));
        put(files, DIR + prefix + "-etcd-client-ca.crt", data.get(CiliumNames.CA_CRT));
    }

    private static void put(Map<String, String> files, String path, String content) {
        if (content != null) {
            files.put(path, content);
        }
    }

    private Optional<Secret> secret(String ns, String name) {
        return Optional.ofNullable(
                cluster.client().secrets().inNamespace(ns).withName(name).get());
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> plain = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach((k, v) ->
                            plain.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return plain;
    }
}
