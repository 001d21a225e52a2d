package io.clustermesh.controller.support;

/**
 * homelab, cloud and sim-03. A class of its own because Quarkus reuses a running application for
 * test classes whose resources have the same classes, and does not hand init args to a resource
 * restricted to its annotated class.
 */
public class ThreeSimulatedClustersResource extends SimulatedClustersResource {
    public ThreeSimulatedClustersResource() {
        super(3);
    }
}
