package io.clustermesh.controller.mesh;

/**
 * Body of {@code PUT /api/v1/clusters/{name}/clustermesh}. Every field is optional.
 *
 * @param serviceType NodePort (default, as the chart), LoadBalancer or ClusterIP
 * @param nodePort    with NodePort; default 32379 (chart default)
 * @param ca          "shared" (default: one mesh CA for every cluster, as Cilium recommends) or "own"
 */
public record EnableRequest(String serviceType, Integer nodePort, String ca) {
    public static final EnableRequest DEFAULTS = new EnableRequest(null, null, null);
}
