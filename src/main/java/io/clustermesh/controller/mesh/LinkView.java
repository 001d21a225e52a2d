package io.clustermesh.controller.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * An unordered pair of clusters with the status of each direction (API contract, "Links").
 * {@code clusters} (both ends' ClusterMesh state) is filled only when one link is asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkView(String a, String b, String status, boolean simulated, List<Direction> directions, List<ClusterView> clusters) {

    public LinkView withClusters(List<ClusterView> ends) {
        return new LinkView(a, b, status, simulated, directions, ends);
    }

    /** What the agents of {@code from} report about {@code to}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Direction(String from, String to, String status, int agentsReady, int agentsTotal, String reason, String hint,
                            Double latencyMs, Instant checkedAt) {
    }
}
