package io.clustermesh.controller.problems;

/**
 * Every kind of failure a caller can see. The slug is the stable {@code type} of the RFC 9457
 * problem document ({@code /problems/<slug>}); clients may switch on it, so never rename one.
 */
public enum ProblemType {
    INVALID_INPUT("invalid-input", "Invalid input", 400),
    INVALID_CLUSTER_NAME("invalid-cluster-name", "Invalid cluster name", 400),
    INVALID_CLUSTER_ID("invalid-cluster-id", "Invalid cluster id", 400),
    DUPLICATE_CLUSTER_ID("duplicate-cluster-id", "Cluster id used twice in the mesh", 409),
    DUPLICATE_CLUSTER_NAME("duplicate-cluster-name", "Cluster name used twice in the mesh", 409),
    MISMATCHED_MAX_CONNECTED_CLUSTERS("mismatched-max-connected-clusters", "max-connected-clusters differs", 409),
    CILIUM_NOT_READY_FOR_MESH("cilium-not-ready-for-mesh", "Cilium is not configured for ClusterMesh", 409),
    UNSUPPORTED_CILIUM_VERSION("unsupported-cilium-version", "Cilium version not supported", 409),
    INCOMPATIBLE_CLUSTERS("incompatible-clusters", "Clusters cannot be meshed together", 409),
    ACCESS_INFORMATION_UNAVAILABLE(
            "access-information-unavailable", "Cannot derive the clustermesh-apiserver address", 409),
    CLUSTERMESH_NOT_ENABLED("clustermesh-not-enabled", "ClusterMesh is not enabled", 409),
    LINKS_REMAIN("links-remain", "Links remain", 409),
    HELM_MANAGED("helm-managed", "Object is managed by Helm", 409),
    GITOPS_MANAGED("gitops-managed", "Cilium is managed by a GitOps tool", 409),
    HELM_UPGRADE_FAILED("helm-upgrade-failed", "Helm refused or failed the upgrade of the Cilium release", 502),
    OPERATION_IN_PROGRESS("operation-in-progress", "Another operation is running on this cluster", 409),
    CONFLICT("conflict", "Concurrent modification", 409),
    UNKNOWN_CLUSTER("unknown-cluster", "Unknown cluster", 404),
    NOT_FOUND("not-found", "Not found", 404),
    UNAUTHENTICATED("unauthenticated", "Authentication required", 401),
    FORBIDDEN("forbidden", "Role too small", 403),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", 413),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed on this resource", 405),
    NOT_ACCEPTABLE("not-acceptable", "Cannot produce the requested media type", 406),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    CLUSTER_UNREACHABLE("cluster-unreachable", "Cluster API unreachable", 502),
    // Upstream Tailscale failures: our credential or Tailscale's availability, not the caller's.
    TAILSCALE_UNAUTHORIZED("tailscale-unauthorized", "Tailscale credential rejected or lacks a scope", 502),
    TAILSCALE_RATE_LIMITED("tailscale-rate-limited", "Tailscale API rate limit", 503),
    TAILSCALE_UNAVAILABLE("tailscale-unavailable", "Tailscale API or tailscaled unavailable", 503),
    INTERNAL("internal", "Internal error", 500),
    WIREGUARD_NOT_ENABLED("wireguard-not-enabled", "WireGuard encryption is not enabled", 409),
    DUPLICATE_WIREGUARD_KEY("duplicate-wireguard-key", "WireGuard public key used by two nodes", 409),
    ROTATION_STOPPED("rotation-stopped", "Rotation stopped", 409),
    NOT_COMPUTED_YET("not-computed-yet", "Not computed yet after start-up", 503);

    private final String slug;
    private final String title;
    private final int httpStatus;

    ProblemType(String slug, String title, int httpStatus) {
        this.slug = slug;
        this.title = title;
        this.httpStatus = httpStatus;
    }

    public String uri() {
        return "/problems/" + slug;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
