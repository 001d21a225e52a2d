package io.clustermesh.controller.health;

import io.clustermesh.controller.contexts.SourceError;
import io.clustermesh.controller.mesh.ClusterView;
import io.clustermesh.controller.mesh.LinkView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the page draws at once (header badge, clusters and kubeconfig errors, graph, links,
 * reachability matrix),
 * from one health refresh, so the parts never contradict each other. {@code generation} counts
 * refreshes; {@code contributed} holds what contributors judged from, by name ({@code reachability}).
 */
public record MeshSnapshot(
        long generation,
        Instant checkedAt,
        HealthReport health,
        List<ClusterView> clusters,
        List<SourceError> errors,
        List<LinkView> links,
        Map<String, Object> contributed) {}
