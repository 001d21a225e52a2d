package io.clustermesh.controller.cilium;

import io.clustermesh.controller.contexts.CustomKind;
import java.util.List;

/**
 * Object names, labels and keys real Cilium (1.16 – 1.18) reads and writes. This is the only
 * place they are spelled out; see ../shared/contracts/cilium-clustermesh.md §1, §2, §10.
 */
public final class CiliumNames {
    private CiliumNames() {}

    public static final String DEFAULT_NAMESPACE = "kube-system";

    // §1 agent
    public static final String AGENT_DAEMONSET = "cilium";
    public static final String AGENT_CONTAINER = "cilium-agent";
    public static final String AGENT_SELECTOR_KEY = "k8s-app";
    public static final String AGENT_SELECTOR_VALUE = "cilium";
    public static final String AGENT_IMAGE_REPO = "quay.io/cilium/cilium";
    public static final String CONFIG_MAP = "cilium-config";

    // §1 clustermesh-apiserver
    public static final String APISERVER = "clustermesh-apiserver";
    public static final String APISERVER_SELECTOR_VALUE = "clustermesh-apiserver";
    public static final String APISERVER_METRICS_SERVICE = "clustermesh-apiserver-metrics";
    public static final String APISERVER_IMAGE_REPO = "quay.io/cilium/clustermesh-apiserver";
    public static final String KVSTOREMESH_CONTAINER = "kvstoremesh";
    public static final String CLUSTERMESH_SECRET = "cilium-clustermesh";
    public static final String KVSTOREMESH_SECRET = "cilium-kvstoremesh";
    public static final String CA_SECRET = "cilium-ca";
    public static final String SERVER_CERT_SECRET = "clustermesh-apiserver-server-cert";
    public static final String ADMIN_CERT_SECRET = "clustermesh-apiserver-admin-cert";
    public static final String REMOTE_CERT_SECRET = "clustermesh-apiserver-remote-cert";
    public static final String LOCAL_CERT_SECRET = "clustermesh-apiserver-local-cert";
    /** The ClusterMesh TLS Secrets Cilium's chart defines (contract §3.2), server first. */
    public static final List<String> TLS_SECRETS =
            List.of(SERVER_CERT_SECRET, ADMIN_CERT_SECRET, REMOTE_CERT_SECRET, LOCAL_CERT_SECRET);

    public static final int ETCD_PORT = 2379;
    public static final int DEFAULT_NODE_PORT = 32379;
    public static final String MESH_DOMAIN = "mesh.cilium.io";
    /** The server certificate's common name, also one of its DNS names (§3.6). */
    public static final String APISERVER_SERVER_NAME = "clustermesh-apiserver.cilium.io";

    // CiliumNode (cilium.io/v2, cluster-scoped)
    public static final String CILIUM_GROUP = "cilium.io";
    public static final String CILIUM_NODE_VERSION = "v2";
    public static final String CILIUM_NODE_KIND = "CiliumNode";
    public static final String CILIUM_NODE_PLURAL = "ciliumnodes";

    // Secret data keys (kubernetes.io/tls layout plus the CA)
    public static final String CA_CRT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String TLS_CRT = "tls.crt";
    public static final String TLS_KEY = "tls.key";

    // §2 cilium-config keys
    public static final String KEY_CLUSTER_NAME = "cluster-name";
    public static final String KEY_CLUSTER_ID = "cluster-id";
    public static final String KEY_MAX_CONNECTED_CLUSTERS = "max-connected-clusters";
    public static final String KEY_IDENTITY_ALLOCATION_MODE = "identity-allocation-mode";
    public static final String KEY_ROUTING_MODE = "routing-mode";
    public static final String KEY_TUNNEL_PROTOCOL = "tunnel-protocol";
    public static final String KEY_ENABLE_WIREGUARD = "enable-wireguard";
    /** Present only when the release sets {@code prometheus.enabled=true} (chart default off): then the agents serve metrics. */
    public static final String KEY_PROMETHEUS_SERVE_ADDR = "prometheus-serve-addr";

    public static final String KEY_ENABLE_IPSEC = "enable-ipsec";
    public static final String KEY_POD_CIDR_V4 = "cluster-pool-ipv4-cidr";
    public static final String DEFAULT_CLUSTER_NAME = "default";
    public static final int DEFAULT_MAX_CONNECTED_CLUSTERS = 255;
    public static final int EXTENDED_MAX_CONNECTED_CLUSTERS = 511;
    public static final int MAX_CLUSTER_NAME_LENGTH = 32;
    public static final String IDENTITY_MODE_CRD = "crd";
    public static final String ROUTING_MODE_TUNNEL = "tunnel";
    public static final String ROUTING_MODE_NATIVE = "native";
    public static final String TUNNEL_PROTOCOL_VXLAN = "vxlan";

    // §5.1 where agents (and the kvstoremesh container) read remote-cluster entries
    public static final String CLUSTERMESH_CONFIG_DIR = "/var/lib/cilium/clustermesh/";
    public static final String ETCD_ENDPOINTS_MARKER = "endpoints:";

    // §10 WireGuard
    /** The per-node object where each agent publishes its WireGuard key (cluster-scoped, cilium.io/v2). */
    public static final CustomKind CILIUM_NODE = new CustomKind("cilium.io", "v2", "CiliumNode", "ciliumnodes");

    public static final String WG_PUBKEY_ANNOTATION = "network.cilium.io/wg-pub-key";
    public static final String WG_PUBKEY_ANNOTATION_LEGACY = "io.cilium.network.wg-pub-key";
    public static final String WG_KEY_FILE = "/var/run/cilium/cilium_wg0.key";
    public static final int WG_PORT = 51871;

    // §0 Helm's ownership markers
    public static final String HELM_MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String HELM_MANAGED_BY_VALUE = "Helm";
    public static final String HELM_RELEASE_ANNOTATION = "meta.helm.sh/release-name";
    public static final String HELM_RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";

    // §9 keys in the clustermesh-apiserver etcd
    public static final String ETCD_CLUSTER_CONFIG_PREFIX = "cilium/cluster-config/";
    public static final String ETCD_HEARTBEAT_KEY = "cilium/.heartbeat";
    public static final String ETCD_SYNCED_PREFIX = "cilium/synced/";
    public static final String ETCD_NODES_PREFIX = "cilium/state/nodes/v1/";

    // §8 agent metrics port
    public static final int AGENT_METRICS_PORT = 9962;
}
