package io.clustermesh.controller.cilium;

import java.util.List;

/** Commands run in the agent container (contract §7.2, §10). */
public final class AgentCommands {
    private AgentCommands() {}

    /** Full status; WireGuard peers are null in it. */
    public static final List<String> STATUS = List.of("cilium-dbg", "status", "-o", "json");

    /** Cilium's own node-to-node probes (contract dataplane.md §2.1): per node, host and health-endpoint paths. */
    public static final List<String> HEALTH_STATUS = List.of("cilium-health", "status", "-o", "json");

    /**
     * KVStoreMesh's own view of every remote, run in the {@code kvstoremesh} container of a
     * clustermesh-apiserver pod, exactly as cilium-cli runs it (contract §7.1 step 6).
     */
    public static final List<String> KVSTOREMESH_STATUS =
            List.of("/usr/bin/clustermesh-apiserver", "kvstoremesh-dbg", "status", "-o", "json");

    /**
     * The only source of per-peer WireGuard data. debuginfo defines {@code --output} without the
     * {@code -o} shorthand that status has (cilium-dbg/cmd/debuginfo.go): {@code -o json} exits 1.
     */
    public static final List<String> DEBUGINFO = List.of("cilium-dbg", "debuginfo", "--output", "json");

    /** The agent generates a new key at its next start when the key file is missing; the key never leaves the node. */
    public static final List<String> REMOVE_WIREGUARD_KEY = List.of("rm", "-f", CiliumNames.WG_KEY_FILE);

    /** A file as the agent container sees it (its image has coreutils; the clustermesh-apiserver's is distroless). */
    public static List<String> readFile(String path) {
        return List.of("cat", path);
    }
}
