package io.clustermesh.controller.sim;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code mesh.simulator.*}: how the demo's simulated clusters are hosted (the benchmark needs them apart). */
@ConfigMapping(prefix = "mesh.simulator")
public interface SimulatorConfig {

    /**
     * Off, this process only hosts the simulated clusters: it writes their kubeconfigs but does
     * not manage them, so a second service process can read them like real clusters and the
     * simulation's CPU and memory are not counted as that service's (see bench/).
     */
    @WithDefault("true")
    boolean registerClusters();
}
