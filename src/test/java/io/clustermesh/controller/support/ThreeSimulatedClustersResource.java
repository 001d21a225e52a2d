package io.clustermesh.controller.support;

import java.util.Map;

/**
 * homelab, cloud and sim-03. A class of its own because Quarkus reuses a running application for
 * test classes whose resources have the same classes, whatever their init args (and calls
 * {@code init} only when there are some).
 */
public class ThreeSimulatedClustersResource extends SimulatedClustersResource {
    @Override
    public Map<String, String> start() {
        super.init(Map.of("clusters", "3"));
        return super.start();
    }

    /**
     * Unrestricted resources of other test classes (the two-cluster default) apply to every class;
     * starting last makes this one's kubeconfig dir the one the application and the helpers use.
     */
    @Override
    public int order() {
        return 1000;
    }
}
