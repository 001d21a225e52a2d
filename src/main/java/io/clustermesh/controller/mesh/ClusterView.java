package io.clustermesh.controller.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.clustermesh.controller.reachability.EndpointFinding;

import java.util.List;

/** One cluster as the API shows it. Holds no credentials by construction. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(String name, String context, String server, boolean simulated, boolean reachable,
                          String ciliumVersion, String clusterName, Integer clusterId, Integer maxConnectedClusters,
                          MeshState mesh, Reachability reachability, List<String> errors) {

    public record MeshState(boolean enabled, String serviceType, List<String> endpoints) {
    }

    /** {@code findings}: what is wrong with the declared endpoint, found without dialling (reachability.EndpointChecks). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reachability(String mode, String endpoint, Integer nodePort, List<EndpointFinding> findings) {
    }

    ClusterView withReachability(Reachability next) {
        return new ClusterView(name, context, server, simulated, reachable, ciliumVersion, clusterName, clusterId,
                maxConnectedClusters, mesh, next, errors);
    }
}
