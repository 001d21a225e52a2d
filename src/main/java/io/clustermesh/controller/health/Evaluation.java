package io.clustermesh.controller.health;

import io.clustermesh.controller.health.spi.Contribution;
import io.clustermesh.controller.mesh.ClusterView;
import io.clustermesh.controller.mesh.LinkView;
import io.clustermesh.controller.mesh.MeshCertificate;
import java.util.List;

/**
 * One refresh: the report users read, plus the per-direction and per-certificate detail metrics
 * need, and the cluster views and links it was judged from (the page's one snapshot).
 */
record Evaluation(
        HealthReport report,
        List<DirectionState> directions,
        List<MeshCertificate> certificates,
        List<Contribution.KeyAge> keyAges,
        List<ClusterView> clusters,
        List<LinkView> links) {

    /**
     * One direction of a link; {@code latencyMs} is a probe's measurement, null when none ran.
     *
     * @param up          the control plane is ready and no probe fails
     * @param dataPlaneUp pods of {@code from} reach pods of {@code to} (the agents' node probes)
     */
    record DirectionState(String from, String to, boolean up, Double latencyMs, boolean dataPlaneUp) {}
}
