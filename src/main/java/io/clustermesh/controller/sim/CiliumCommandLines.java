package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.CiliumVersion;
import io.clustermesh.controller.sim.CobraCommand.Kind;
import java.util.List;
import java.util.Optional;

/**
 * The command lines of Cilium's binaries that the service runs or writes, per Cilium minor version.
 *
 * <p>{@code cilium-dbg} (agent container): the root's persistent flags ({@code cilium-dbg/cmd/root.go}),
 * {@code status} ({@code status.go}: {@code -o, --output} from pkg/command's AddOutputOption) and
 * {@code debuginfo} ({@code debuginfo.go}: {@code --output} with NO shorthand). The other real
 * top-level commands exist so they are not "unknown", but they are not simulated.
 *
 * <p>{@code clustermesh-apiserver} (its Deployment): the flags of {@code clustermesh},
 * {@code kvstoremesh} and {@code etcdinit} are the ones Cilium's own charts render in that version
 * under every value combination we render in {@code CiliumCommandLinesTest} (KVStoreMesh on/off,
 * authMode cluster, MCS-API, external workloads, 511 clusters, extra args); that test fails when
 * this table and the charts disagree. So {@code --enable-heartbeat} exists only from 1.18,
 * {@code --health-port} from 1.16, {@code --enable-external-workloads} only up to 1.17.
 */
final class CiliumCommandLines {
    static final String CILIUM_DBG = "cilium-dbg";
    static final String APISERVER_BINARY = "/usr/bin/clustermesh-apiserver";
    static final CiliumVersion OLDEST = new CiliumVersion(1, 15);
    static final CiliumVersion NEWEST = CiliumVersion.V1_19;

    /** Real cilium-dbg commands that the simulated agent does not run. */
    static final List<String> NOT_SIMULATED = List.of(
            "bgp",
            "bpf",
            "build-config",
            "cgroups",
            "cleanup",
            "completion",
            "config",
            "encrypt",
            "endpoint",
            "envoy",
            "fqdn",
            "identity",
            "ip",
            "kvstore",
            "lrp",
            "map",
            "metrics",
            "monitor",
            "node",
            "nodeid",
            "policy",
            "prefilter",
            "preflight",
            "recorder",
            "service",
            "shell",
            "statedb",
            "troubleshoot",
            "version");

    private CiliumCommandLines() {}

    static CobraCommand ciliumDbg() {
        CobraCommand root = new CobraCommand(CILIUM_DBG)
                .persistentFlag("config", null, Kind.STRING)
                .persistentFlag("debug", "D", Kind.BOOL)
                .persistentFlag("log-driver", null, Kind.STRING_SLICE)
                .persistentFlag("log-opt", null, Kind.KEY_VALUE)
                .persistentFlag("host", "H", Kind.STRING);
        CobraCommand status = new CobraCommand("status")
                .flag("all-addresses", Kind.BOOL)
                .flag("all-controllers", Kind.BOOL)
                .flag("all-nodes", Kind.BOOL)
                .flag("all-redirects", Kind.BOOL)
                .flag("all-clusters", Kind.BOOL)
                .flag("all-health", Kind.BOOL)
                .flag("brief", Kind.BOOL)
                .flag("verbose", Kind.BOOL)
                .flag("timeout", Kind.DURATION)
                .flag("output", "o", Kind.STRING);
        CobraCommand debuginfo = new CobraCommand("debuginfo")
                .flag("file", "f", Kind.BOOL)
                .flag("file-per-command", Kind.BOOL)
                .flag("output", Kind.STRING_SLICE)
                .flag("output-directory", Kind.STRING);
        root.add(status, debuginfo);
        NOT_SIMULATED.forEach(name -> root.add(new CobraCommand(name)));
        return root;
    }

    /** The clustermesh-apiserver binary of {@code version}, or empty outside the versions the table covers. */
    static Optional<CobraCommand> clustermeshApiserver(CiliumVersion version) {
        if (version.compareTo(OLDEST) < 0 || version.compareTo(NEWEST) > 0) {
            return Optional.empty();
        }
        CobraCommand clustermesh = clusterInfoFlags(new CobraCommand("clustermesh"))
                .flag("cluster-users-enabled", Kind.BOOL)
                .flag("cluster-users-config-path", Kind.STRING);
        CobraCommand kvstoremesh =
                clusterInfoFlags(new CobraCommand("kvstoremesh")).flag("clustermesh-config", Kind.STRING);
        if (version.compareTo(CiliumVersion.V1_17) <= 0) {
            clustermesh.flag("enable-external-workloads", Kind.BOOL);
        }
        if (version.atLeast(CiliumVersion.V1_16)) {
            clustermesh.flag("health-port", Kind.INT);
            kvstoremesh.flag("health-port", Kind.INT);
        }
        if (version.atLeast(CiliumVersion.V1_17)) {
            clustermesh.flag("clustermesh-enable-mcs-api", Kind.BOOL);
        }
        if (version.atLeast(CiliumVersion.V1_18)) {
            kvstoremesh.flag("enable-heartbeat", Kind.BOOL);
        }
        if (version.atLeast(CiliumVersion.V1_19)) {
            kvstoremesh.flag("clustermesh-cache-ttl", Kind.DURATION);
        }
        CobraCommand etcdinit = new CobraCommand("etcdinit")
                .flag("etcd-cluster-name", Kind.STRING)
                .flag("etcd-initial-cluster-token", Kind.STRING)
                .flag("etcd-data-dir", Kind.STRING);
        return Optional.of(new CobraCommand("clustermesh-apiserver").add(clustermesh, kvstoremesh, etcdinit));
    }

    /** pkg/clustermesh/types ClusterInfo.Flags plus the kvstore, metrics and controller options both commands take. */
    private static CobraCommand clusterInfoFlags(CobraCommand command) {
        return command.flag("cluster-id", Kind.UINT32)
                .flag("cluster-name", Kind.STRING)
                .flag("max-connected-clusters", Kind.UINT32)
                .flag("kvstore-opt", Kind.KEY_VALUE)
                .flag("prometheus-serve-addr", Kind.STRING)
                .flag("controller-group-metrics", Kind.STRING_SLICE);
    }
}
