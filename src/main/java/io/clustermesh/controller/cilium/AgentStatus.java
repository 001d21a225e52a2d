package io.clustermesh.controller.cilium;

import java.util.List;
import java.util.Optional;

/**
 * The parts of {@code cilium-dbg status -o json} the mesh needs (contract §7.2); other fields of
 * the agent's StatusResponse are ignored.
 *
 * @param clusterMesh null when the agent reports no {@code cluster-mesh} object (not meshed)
 * @param encryption  null when absent
 */
public record AgentStatus(ClusterMeshStatus clusterMesh, EncryptionStatus encryption) {

    /** @param numGlobalServices 1.16–1.18 only; 0 when absent */
    public record ClusterMeshStatus(List<RemoteCluster> clusters, long numGlobalServices) {
        public ClusterMeshStatus {
            clusters = clusters == null ? List.of() : List.copyOf(clusters);
        }
    }

    public static AgentStatus parse(String json) {
        return AgentStatusParser.parseStatus(json);
    }

    /** §7.1 step 6: the remote is looked up by name in {@code cluster-mesh.clusters[]}. */
    public Optional<RemoteCluster> remote(String name) {
        if (clusterMesh == null) {
            return Optional.empty();
        }
        return clusterMesh.clusters().stream()
                .filter(c -> name.equals(c.name()))
                .findFirst();
    }

    public List<RemoteCluster> remotes() {
        return clusterMesh == null ? List.of() : clusterMesh.clusters();
    }
}
