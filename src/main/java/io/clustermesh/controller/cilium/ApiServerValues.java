package io.clustermesh.controller.cilium;

import io.fabric8.kubernetes.api.model.HostAlias;
import java.util.List;

/**
 * The chart values our clustermesh-apiserver Deployment corresponds to: release (what the chart of
 * that version renders), image, {@code clustermesh.maxConnectedClusters}, KVStoreMesh, and the host
 * aliases connect adds for remotes dialled by IP.
 */
public record ApiServerValues(
        String namespace,
        CiliumRelease release,
        String image,
        int maxConnectedClusters,
        boolean kvstoremesh,
        List<HostAlias> hostAliases,
        List<String> aliasedRemotes) {
    public ApiServerValues {
        hostAliases = hostAliases == null ? List.of() : List.copyOf(hostAliases);
        aliasedRemotes = aliasedRemotes == null ? List.of() : List.copyOf(aliasedRemotes);
    }
}
