package io.clustermesh.controller.cilium;

import io.clustermesh.controller.cilium.PrometheusText.Sample;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ClusterMesh gauges of one agent's (or one KVStoreMesh's) {@code /metrics} (contract §8).
 * Both label sets are accepted: 1.16–1.18 carry {@code source_cluster}/{@code source_node_name},
 * 1.19+ only {@code target_cluster}. Families a version does not export stay null.
 *
 * @param sourceCluster  {@code source_cluster} label, null on 1.19+
 * @param sourceNodeName {@code source_node_name} label, null on 1.19+ and for KVStoreMesh
 * @param remoteClusters {@code _remote_clusters}, null when absent
 * @param globalServices {@code cilium_clustermesh_global_services} (1.16–1.18 agents), null when absent
 * @param remotes        per {@code target_cluster}, sorted by name
 */
public record ClusterMeshMetrics(
        Source source,
        String sourceCluster,
        String sourceNodeName,
        Long remoteClusters,
        Long globalServices,
        Map<String, RemoteClusterMetrics> remotes) {

    /** Whose metrics: KVStoreMesh drops the {@code clustermesh_} infix (§8). */
    public enum Source {
        AGENT("cilium_clustermesh_"),
        KVSTOREMESH("cilium_kvstoremesh_");

        private final String prefix;

        Source(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    /**
     * @param lastFailure null when the gauge is 0 (never failed)
     * @param nodes       null when not exported (KVStoreMesh)
     * @param services    {@code _remote_cluster_services} [1.19+], else null
     * @param endpoints   {@code _remote_cluster_endpoints} [1.19+], else null
     */
    public record RemoteClusterMetrics(
            String targetCluster,
            boolean ready,
            long failures,
            Instant lastFailure,
            Long nodes,
            Long services,
            Long endpoints) {

        public static RemoteClusterMetrics of(
                String target, boolean ready, long failures, Instant lastFailure, Long nodes) {
            return new RemoteClusterMetrics(target, ready, failures, lastFailure, nodes, null, null);
        }
    }

    public ClusterMeshMetrics {
        remotes = Collections.unmodifiableMap(new TreeMap<>(remotes));
    }

    public static ClusterMeshMetrics parseAgent(String text) {
        return parse(text, Source.AGENT);
    }

    public static ClusterMeshMetrics parseKvstoreMesh(String text) {
        return parse(text, Source.KVSTOREMESH);
    }

    public static ClusterMeshMetrics parse(String text, Source source) {
        List<Sample> samples = PrometheusText.parse(text, source.prefix());
        Map<String, RemoteClusterMetrics> remotes = new TreeMap<>();
        String sourceCluster = null;
        String sourceNode = null;
        Long remoteClusters = null;
        Long globalServices = null;
        for (Sample s : samples) {
            if (!s.name().startsWith(source.prefix())) {
                continue;
            }
            String family = s.name().substring(source.prefix().length());
            sourceCluster = firstNonNull(sourceCluster, s.label("source_cluster"));
            sourceNode = firstNonNull(sourceNode, s.label("source_node_name"));
            switch (family) {
                case "remote_clusters" -> remoteClusters = (long) s.value();
                case "global_services" -> globalServices = (long) s.value();
                default -> {
                    String target = s.label("target_cluster");
                    if (target != null && family.startsWith("remote_cluster_")) {
                        RemoteClusterMetrics old =
                                remotes.getOrDefault(target, RemoteClusterMetrics.of(target, false, 0, null, null));
                        remotes.put(target, withFamily(old, family.substring("remote_cluster_".length()), s.value()));
                    }
                }
            }
        }
        return new ClusterMeshMetrics(source, sourceCluster, sourceNode, remoteClusters, globalServices, remotes);
    }

    private static RemoteClusterMetrics withFamily(RemoteClusterMetrics m, String family, double v) {
        return switch (family) {
            case "readiness_status" ->
                new RemoteClusterMetrics(
                        m.targetCluster(),
                        v == 1,
                        m.failures(),
                        m.lastFailure(),
                        m.nodes(),
                        m.services(),
                        m.endpoints());
            case "failures" ->
                new RemoteClusterMetrics(
                        m.targetCluster(),
                        m.ready(),
                        (long) v,
                        m.lastFailure(),
                        m.nodes(),
                        m.services(),
                        m.endpoints());
            case "last_failure_ts" ->
                new RemoteClusterMetrics(
                        m.targetCluster(),
                        m.ready(),
                        m.failures(),
                        v <= 0 || Double.isNaN(v) ? null : Instant.ofEpochMilli(Math.round(v * 1000)),
                        m.nodes(),
                        m.services(),
                        m.endpoints());
            case "nodes" ->
                new RemoteClusterMetrics(
                        m.targetCluster(),
                        m.ready(),
                        m.failures(),
                        m.lastFailure(),
                        (long) v,
                        m.services(),
                        m.endpoints());
            case "services" ->
                new RemoteClusterMetrics(
                        m.targetCluster(),
                        m.ready(),
                        m.failures(),
                        m.lastFailure(),
                        m.nodes(),
                        (long) v,
                        m.endpoints());
            case "endpoints" ->
                new RemoteClusterMetrics(
                        m.targetCluster(), m.ready(), m.failures(), m.lastFailure(), m.nodes(), m.services(), (long) v);
            default -> m;
        };
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
