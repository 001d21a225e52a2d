package io.clustermesh.controller.cilium;

/**
 * What Cilium's own chart renders for the clustermesh-apiserver in one release, where releases
 * differ. Every fact here was read off a real render of ../shared/charts (1.15.0, 1.15.19, 1.16.19,
 * 1.17.17, 1.18.11, 1.19.5) and is pinned by ChartGoldenTest; a fact that changed between two
 * rendered patches of one line is placed at the later patch we rendered (the exact patch in
 * between is unknown to us).
 */
public record ApiServerChart(CiliumRelease release) {
    private static final CiliumVersion V1_15 = new CiliumVersion(1, 15);

    public static ApiServerChart of(CiliumRelease release) {
        return new ApiServerChart(release);
    }

    private boolean from(CiliumVersion line) {
        return release.line().atLeast(line);
    }

    /** {@code clustermesh.apiserver.kvstoremesh.enabled} defaults to true from 1.16; 1.15 has it, off. */
    public boolean kvstoremeshByDefault() {
        return from(CiliumVersion.V1_16);
    }

    /** 1.15: maxUnavailable 1 only; 1.16+: maxSurge 1, maxUnavailable 0. */
    public boolean surgeRollout() {
        return from(CiliumVersion.V1_16);
    }

    /** Pod and container security contexts (non-root 65532, no privilege escalation, all capabilities dropped). */
    public boolean securityContexts() {
        return from(CiliumVersion.V1_16);
    }

    /** {@code kubectl.kubernetes.io/default-container: apiserver} on the pod template. */
    public boolean defaultContainerAnnotation() {
        return from(CiliumVersion.V1_18);
    }

    /** The deprecated {@code serviceAccount} pod field next to {@code serviceAccountName} (1.15.0, gone by 1.15.19). */
    public boolean deprecatedServiceAccountField() {
        return release.line().equals(V1_15) && release.patch() < 19;
    }

    /** etcd's initial cluster token is the pod UID (env INITIAL_CLUSTER_TOKEN); 1.15.0 used the literal name. */
    public boolean podUidClusterToken() {
        return from(CiliumVersion.V1_16) || release.patch() >= 19;
    }

    /** 1.18+: etcd listens on 0.0.0.0; before, on 127.0.0.1 and the pod IP from env HOSTNAME_IP. */
    public boolean etcdListensOnAllAddresses() {
        return from(CiliumVersion.V1_18);
    }

    /** 1.19+: {@code --enable-grpc-gateway=false} on etcd. */
    public boolean etcdGrpcGatewayFlag() {
        return from(CiliumVersion.V1_19);
    }

    /** 1.15 passes {@code --kvstore-opt} and {@code etcd.config=...} as two argv elements, and no QPS options. */
    public boolean apiserverQpsOptions() {
        return from(CiliumVersion.V1_16);
    }

    /** {@code --health-port} and a {@code /readyz} readiness probe on apiserver and kvstoremesh (1.16+). */
    public boolean healthPortsAndReadiness() {
        return from(CiliumVersion.V1_16);
    }

    /** {@code --enable-external-workloads=false} on the apiserver (1.15 to 1.17; the feature left in 1.18). */
    public boolean externalWorkloadsFlag() {
        return !from(CiliumVersion.V1_18);
    }

    /** Env IDENTITY_ALLOCATION_MODE from cilium-config on the apiserver (1.15 only). */
    public boolean identityAllocationModeEnv() {
        return !from(CiliumVersion.V1_16);
    }

    /** {@code --enable-heartbeat=false} on kvstoremesh in CRD mode; older kvstoremesh binaries refuse the flag. */
    public boolean kvstoremeshHeartbeatFlag() {
        return from(CiliumVersion.V1_18);
    }

    /** 1.19+: {@code --clustermesh-cache-ttl=0s} on kvstoremesh. */
    public boolean kvstoremeshCacheTtlFlag() {
        return from(CiliumVersion.V1_19);
    }

    /**
     * 1.19's default {@code clustermesh.apiserver.tls.authMode} is {@code migration}: the apiserver then
     * creates an etcd user per remote from the {@code clustermesh-remote-users} ConfigMap it mounts.
     */
    public boolean clusterUsers() {
        return from(CiliumVersion.V1_19);
    }

    /** Anti-affinity on the hostname: required in 1.15, preferred (weight 100) from 1.16. */
    public boolean preferredAntiAffinity() {
        return from(CiliumVersion.V1_16);
    }

    /** {@code externalTrafficPolicy}/{@code internalTrafficPolicy: Cluster} on the Service (1.16+). */
    public boolean serviceTrafficPolicies() {
        return from(CiliumVersion.V1_16);
    }

    /** The chart renders {@code clustermesh.apiserver.service.loadBalancerClass} (1.16+; 1.15 has no such value). */
    public boolean serviceLoadBalancerClass() {
        return from(CiliumVersion.V1_16);
    }

    /** The ClusterRole may read CustomResourceDefinitions with get (1.17+), not only list/watch. */
    public boolean crdGet() {
        return from(CiliumVersion.V1_17);
    }

    /** The ClusterRole reads CiliumEndpointSlices (1.18+). */
    public boolean endpointSlicesRule() {
        return from(CiliumVersion.V1_18);
    }

    /** The agents read the local KVStoreMesh cache with the local-cert files (1.17+), before with the common (remote) ones. */
    public boolean agentsUseLocalCert() {
        return from(CiliumVersion.V1_17);
    }
}
