package io.clustermesh.controller.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.clustermesh.controller.cilium.CiliumOwner;
import io.clustermesh.controller.reachability.EndpointFinding;
import java.time.Instant;
import java.util.List;

/** One cluster as the API shows it. Holds no credentials by construction. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(
        String name,
        String context,
        String server,
        boolean simulated,
        boolean reachable,
        String ciliumVersion,
        String clusterName,
        Integer clusterId,
        Integer maxConnectedClusters,
        MeshState mesh,
        Reachability reachability,
        List<String> errors,
        CiliumOwner ciliumOwner) {

    public ClusterView(
            String name,
            String context,
            String server,
            boolean simulated,
            boolean reachable,
            String ciliumVersion,
            String clusterName,
            Integer clusterId,
            Integer maxConnectedClusters,
            MeshState mesh,
            Reachability reachability,
            List<String> errors) {
        this(
                name,
                context,
                server,
                simulated,
                reachable,
                ciliumVersion,
                clusterName,
                clusterId,
                maxConnectedClusters,
                mesh,
                reachability,
                errors,
                null);
    }

    /** Who owns Cilium there (Helm release, Argo CD, Flux, or none): it decides how ClusterMesh may be changed. */
    ClusterView withOwner(CiliumOwner owner) {
        return new ClusterView(
                name,
                context,
                server,
                simulated,
                reachable,
                ciliumVersion,
                clusterName,
                clusterId,
                maxConnectedClusters,
                mesh,
                reachability,
                errors,
                owner);
    }

    /**
     * The clustermesh-apiserver as other clusters see it: whether it runs and is ready, the
     * endpoints they dial (the declared reachability endpoint wins over the derived one), and
     * when its certificates expire.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MeshState(
            boolean enabled,
            String serviceType,
            List<String> endpoints,
            Boolean apiServerReady,
            String apiServerStatus,
            List<CertificateExpiry> certificates,
            String endpointError) {}

    /** One certificate of the cluster's ClusterMesh TLS Secrets; no key material. */
    public record CertificateExpiry(String secret, String key, String commonName, Instant notAfter, long daysLeft) {}

    /** {@code findings}: what is wrong with the declared endpoint, found without dialling (reachability.EndpointChecks). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reachability(String mode, String endpoint, Integer nodePort, List<EndpointFinding> findings) {}

    /**
     * {@code unreachable} when the cluster's API did not answer (then nothing is known about its
     * ClusterMesh: never read that as disabled), else {@code enabled} or {@code disabled}.
     */
    @JsonProperty("state")
    public String state() {
        return !reachable ? "unreachable" : mesh != null && mesh.enabled() ? "enabled" : "disabled";
    }

    ClusterView withReachability(Reachability next) {
        return new ClusterView(
                name,
                context,
                server,
                simulated,
                reachable,
                ciliumVersion,
                clusterName,
                clusterId,
                maxConnectedClusters,
                mesh,
                next,
                errors,
                ciliumOwner);
    }
}
