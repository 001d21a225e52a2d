package io.clustermesh.controller.cilium;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code cluster-mesh.clusters[]} in {@code cilium-dbg status -o json}, or of the
 * {@code kvstoremesh-dbg status -o json} array (contract §7.2). Go omits false booleans and zero
 * counts, so absent means false/0 here; {@code config} and {@code synced} stay null when absent
 * because their absence is itself a status reason (§7.1 step 7).
 *
 * @param lastFailure null when Cilium reports the zero time {@code 0001-01-01T00:00:00.000Z}
 * @param config      null when the agent has not reported any cluster configuration yet
 * @param synced      null when the agent has not reported synchronisation state
 */
public record RemoteCluster(
        String name,
        boolean connected,
        boolean ready,
        String status,
        long numNodes,
        long numEndpoints,
        long numIdentities,
        long numSharedServices,
        long numServiceExports,
        long numEndpointSlices,
        long numFailures,
        Instant lastFailure,
        Config config,
        Synced synced) {

    /**
     * {@code RemoteClusterConfig}.
     *
     * @param serviceExportsEnabled a Go {@code *bool} [1.17+]: null when absent, unlike the plain flags
     * @param endpointSlicesExportMode [1.19+], null when absent
     */
    public record Config(
            long clusterId,
            boolean required,
            boolean retrieved,
            boolean kvstoremesh,
            boolean syncCanaries,
            Boolean serviceExportsEnabled,
            String endpointSlicesExportMode) {

        public static Config of(
                long clusterId, boolean required, boolean retrieved, boolean kvstoremesh, boolean syncCanaries) {
            return new Config(clusterId, required, retrieved, kvstoremesh, syncCanaries, null, null);
        }
    }

    /**
     * {@code RemoteClusterSynced}; the optional resources are Go {@code *bool}s, null when absent.
     */
    public record Synced(
            boolean nodes,
            boolean endpoints,
            boolean identities,
            boolean services,
            Boolean serviceExports,
            Boolean endpointSlices) {

        public static Synced of(boolean nodes, boolean endpoints, boolean identities, boolean services) {
            return new Synced(nodes, endpoints, identities, services, null, null);
        }

        public static Synced all() {
            return of(true, true, true, true);
        }

        /** The four resources cilium-cli checks, in its order, that are not synchronised yet. */
        public List<String> pending() {
            List<String> pending = new ArrayList<>();
            if (!nodes) {
                pending.add("nodes");
            }
            if (!endpoints) {
                pending.add("endpoints");
            }
            if (!identities) {
                pending.add("identities");
            }
            if (!services) {
                pending.add("services");
            }
            return pending;
        }
    }
}
