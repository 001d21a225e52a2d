package io.clustermesh.controller.sim;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/** {@code mesh.simulator.*}: how the demo's simulated clusters are hosted (the benchmark needs them apart) and what they run. */
@ConfigMapping(prefix = "mesh.simulator")
public interface SimulatorConfig {

    /**
     * Off, this process only hosts the simulated clusters: it writes their kubeconfigs but does
     * not manage them, so a second service process can read them like real clusters and the
     * simulation's CPU and memory are not counted as that service's (see bench/).
     */
    @WithDefault("true")
    boolean registerClusters();

    /** The Cilium version of every simulated cluster not named in {@link #ciliumVersions()}: agent image tag, chart flags. */
    @WithDefault(SimulatedClusterSpec.DEFAULT_CILIUM_VERSION)
    String ciliumVersion();

    /** Per simulated cluster, by name: {@code mesh.simulator.cilium-versions.homelab=1.15.0} (none: all run {@link #ciliumVersion()}). */
    Map<String, String> ciliumVersions();

    /**
     * On, a simulated clustermesh-apiserver starts only when its argv would pass the real binary's
     * start-up (flags of that Cilium version, cluster name and id, env references); otherwise its
     * pod crash-loops with the binary's message and the Deployment stays not ready. Off restores the
     * old "every Deployment becomes ready" behaviour and exists only to bisect a failure.
     */
    @WithDefault("true")
    boolean validateApiServerStartup();

    /**
     * Whether the simulated releases set {@code prometheus.enabled=true} (agent metrics on :9962). Off
     * is the chart's default, where link status reads the agents' status instead (bench P4 with
     * {@code MESH_SIMULATOR_AGENT_METRICS=false}).
     */
    @WithDefault("true")
    boolean agentMetrics();

    /**
     * Whether every simulated cluster's node network is routed to the others from the start (a
     * site-to-site VPN or approved subnet routes). Off, the demo's homelab behind NAT reads
     * control-plane-only until routes are added ({@code POST /api/v1/sim/subnet-routes}); the
     * benchmark turns it on to measure a healthy mesh.
     */
    @WithDefault("false")
    boolean routedNodes();

    /** The version simulated cluster {@code name} runs. */
    default String ciliumVersionOf(String name) {
        return ciliumVersions().getOrDefault(name, ciliumVersion());
    }
}
