package io.clustermesh.controller.cilium;

import io.clustermesh.controller.cilium.ClusterMeshMetrics.RemoteClusterMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes {@link ClusterMeshMetrics} as the Go Prometheus client would (contract §8): families sorted
 * by name, each with HELP and TYPE, labels sorted. Which label set comes out follows the model:
 * source labels are written only when set, so a 1.19-style model renders the 1.19 label set.
 * Used by the simulated agents, so our parser reads simulated and real clusters alike.
 */
public final class ClusterMeshMetricsRenderer {
    private static final Map<String, String> HELP = Map.of(
            "global_services", "The total number of global services in the cluster mesh",
            "remote_cluster_endpoints", "The total number of endpoints in the remote cluster",
            "remote_cluster_failures", "The total number of failures related to the remote cluster",
            "remote_cluster_last_failure_ts", "The timestamp of the last failure of the remote cluster",
            "remote_cluster_nodes", "The total number of nodes in the remote cluster",
            "remote_cluster_readiness_status", "The readiness status of the remote cluster",
            "remote_cluster_services", "The total number of services in the remote cluster",
            "remote_clusters", "The total number of remote clusters meshed with the local cluster");

    private ClusterMeshMetricsRenderer() {}

    public static String render(ClusterMeshMetrics m) {
        Map<String, String> families = new TreeMap<>();
        if (m.globalServices() != null) {
            families.put("global_services", sample(m, "global_services", null, m.globalServices()));
        }
        if (m.remoteClusters() != null) {
            families.put("remote_clusters", sample(m, "remote_clusters", null, m.remoteClusters()));
        }
        perRemote(m, families, "readiness_status", r -> r.ready() ? 1.0 : 0.0);
        perRemote(m, families, "failures", r -> (double) r.failures());
        perRemote(
                m,
                families,
                "last_failure_ts",
                r -> r.lastFailure() == null ? 0.0 : r.lastFailure().toEpochMilli() / 1000.0);
        perRemote(
                m, families, "nodes", r -> r.nodes() == null ? null : r.nodes().doubleValue());
        perRemote(
                m,
                families,
                "services",
                r -> r.services() == null ? null : r.services().doubleValue());
        perRemote(
                m,
                families,
                "endpoints",
                r -> r.endpoints() == null ? null : r.endpoints().doubleValue());

        StringBuilder out = new StringBuilder();
        families.forEach((family, samples) -> {
            String name = m.source().prefix() + family;
            out.append("# HELP ")
                    .append(name)
                    .append(' ')
                    .append(HELP.getOrDefault(family, family))
                    .append('\n');
            out.append("# TYPE ").append(name).append(" gauge\n");
            out.append(samples);
        });
        return out.toString();
    }

    private static void perRemote(
            ClusterMeshMetrics m,
            Map<String, String> families,
            String suffix,
            Function<RemoteClusterMetrics, Double> value) {
        StringBuilder lines = new StringBuilder();
        for (RemoteClusterMetrics r : m.remotes().values()) {
            Double v = value.apply(r);
            if (v != null) {
                lines.append(sample(m, "remote_cluster_" + suffix, r.targetCluster(), v));
            }
        }
        if (!lines.isEmpty()) {
            families.put("remote_cluster_" + suffix, lines.toString());
        }
    }

    private static String sample(ClusterMeshMetrics m, String family, String target, double value) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.sourceCluster() != null) {
            labels.put("source_cluster", m.sourceCluster());
        }
        if (m.sourceNodeName() != null) {
            labels.put("source_node_name", m.sourceNodeName());
        }
        if (target != null) {
            labels.put("target_cluster", target);
        }
        return PrometheusText.formatSample(m.source().prefix() + family, labels, value) + "\n";
    }
}
