package io.clustermesh.controller.contexts;

import io.clustermesh.controller.config.MeshConfig;
import java.util.Optional;

/** A cluster the service holds: its identity from the kubeconfig and the gateway to reach it. */
public final class ManagedCluster {
    /** A kubeconfig cluster entry carrying this extension is simulated (demo, benchmarks). */
    public static final String SIMULATED_EXTENSION = "clustermesh-controller.io/simulated";
    /**
     * Optional kubeconfig cluster extension {@code {mode, endpoint}}: reachability kept next to the
     * credentials; {@code mesh.clusters.<name>.reachability.*} overrides it.
     */
    public static final String REACHABILITY_EXTENSION = "clustermesh-controller.io/reachability";

    private final ClusterDefinition definition;
    private final ClusterGateway gateway;
    private final ClusterGateway watched;
    private final ClusterWatches watches;
    private final Optional<MeshConfig.ClusterSettings> settings;

    /** {@code watches}: null when this process does not watch (the one-shot check); then {@link #watched()} reads directly. */
    ManagedCluster(
            ClusterDefinition definition,
            ClusterGateway gateway,
            ClusterWatches watches,
            Optional<MeshConfig.ClusterSettings> settings) {
        this.definition = definition;
        this.gateway = gateway;
        this.watches = watches;
        this.watched = watches == null ? gateway : new WatchedGateway(gateway, watches);
        this.settings = settings;
    }

    public String name() {
        return definition.name();
    }

    public String contextName() {
        return definition.contextName();
    }

    /** API server URL; kubeconfig URLs never carry credentials, but strip user-info anyway. */
    public String server() {
        String server = definition.server();
        return server == null ? null : server.replaceFirst("://[^/@]*@", "://");
    }

    public boolean simulated() {
        return definition.simulated();
    }

    /**
     * For a simulated cluster, the simulator's network endpoint its kubeconfig names (a simulator
     * extension): how its clustermesh endpoints are dialled from a process the simulation does not run in.
     */
    public Optional<String> simulatedNetwork() {
        return Optional.ofNullable(definition.simulatedNetwork());
    }

    /** Direct reads and writes: what mutations and anything that writes with a resourceVersion guard use. */
    public ClusterGateway gateway() {
        return gateway;
    }

    /**
     * Read-only view for status and health: answers from watches on the Cilium namespace (and
     * nodes) while they are fresh, else directly; objects it returns must not be modified.
     */
    public ClusterGateway watched() {
        return watched;
    }

    /** Stops this cluster's informers (it was removed or reloaded, or the service stops). */
    void stopWatching() {
        if (watches != null) {
            watches.close();
        }
    }

    /** What this cluster's informers have seen so far (see {@link ClusterWatches#signature()}); empty when not watching. */
    public String watchSignature() {
        return watches == null ? "" : watches.signature();
    }

    public Optional<MeshConfig.ClusterSettings> settings() {
        return settings;
    }

    public String reachabilityMode() {
        return settings.map(s -> s.reachability().mode())
                .orElse(definition.reachabilityMode() == null ? "direct" : definition.reachabilityMode());
    }

    public Optional<String> reachabilityEndpoint() {
        return settings.flatMap(s -> s.reachability().endpoint())
                .or(() -> Optional.ofNullable(definition.reachabilityEndpoint()));
    }

    /**
     * The cluster's self-contained kubeconfig, for the one client that cannot take a fabric8 client:
     * real Helm (helm-java) changing a Helm-managed Cilium. It holds credentials: never log or show it.
     */
    public String kubeconfigForHelm() {
        return definition.singleContextKubeconfig();
    }

    String fingerprint() {
        return definition.fingerprint();
    }

    @Override
    public String toString() {
        return "ManagedCluster[" + name() + "]";
    }
}
