package io.clustermesh.controller.cilium;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code cilium-config} keys ClusterMesh depends on (contract §2), read leniently: parsing never
 * fails, so a broken cluster can still be displayed. {@link ClusterIdentityRules} judges the values.
 *
 * @param clusterName            {@code cluster-name}, null when absent
 * @param clusterId              {@code cluster-id} as a number, null when absent or not numeric
 * @param clusterIdRaw           {@code cluster-id} as written, null when absent
 * @param maxConnectedClusters   {@code max-connected-clusters}; 255 when absent, null when not numeric
 * @param identityAllocationMode {@code identity-allocation-mode}, {@code crd} when absent
 * @param routingMode            {@code routing-mode}, {@code tunnel} when absent
 * @param tunnelProtocol         {@code tunnel-protocol} ({@code vxlan} when absent) in tunnel mode, null in native mode
 * @param wireguardEnabled       {@code enable-wireguard == "true"}
 * @param ipsecEnabled           {@code enable-ipsec == "true"}
 * @param podCidrV4              {@code cluster-pool-ipv4-cidr} as written (space-separated list), null when absent
 */
public record CiliumConfig(
        String clusterName,
        Integer clusterId,
        String clusterIdRaw,
        Integer maxConnectedClusters,
        String identityAllocationMode,
        String routingMode,
        String tunnelProtocol,
        boolean wireguardEnabled,
        boolean ipsecEnabled,
        String podCidrV4) {

    public static CiliumConfig from(ConfigMap configMap) {
        return fromData(configMap == null ? null : configMap.getData());
    }

    public static CiliumConfig fromData(Map<String, String> data) {
        Map<String, String> d = data == null ? Map.of() : data;
        String idRaw = d.get(CiliumNames.KEY_CLUSTER_ID);
        String maxRaw = d.get(CiliumNames.KEY_MAX_CONNECTED_CLUSTERS);
        String routing = orDefault(d.get(CiliumNames.KEY_ROUTING_MODE), CiliumNames.ROUTING_MODE_TUNNEL);
        // §4: the tunnel protocol only means something in tunnel mode; vxlan is the agent default.
        String tunnel = CiliumNames.ROUTING_MODE_TUNNEL.equals(routing)
                ? orDefault(d.get(CiliumNames.KEY_TUNNEL_PROTOCOL), CiliumNames.TUNNEL_PROTOCOL_VXLAN)
                : null;
        return new CiliumConfig(
                blankToNull(d.get(CiliumNames.KEY_CLUSTER_NAME)),
                parseIntOrNull(idRaw),
                idRaw,
                maxRaw == null || maxRaw.isBlank()
                        ? Integer.valueOf(CiliumNames.DEFAULT_MAX_CONNECTED_CLUSTERS)
                        : parseIntOrNull(maxRaw),
                orDefault(d.get(CiliumNames.KEY_IDENTITY_ALLOCATION_MODE), CiliumNames.IDENTITY_MODE_CRD),
                routing,
                tunnel,
                "true".equalsIgnoreCase(trim(d.get(CiliumNames.KEY_ENABLE_WIREGUARD))),
                "true".equalsIgnoreCase(trim(d.get(CiliumNames.KEY_ENABLE_IPSEC))),
                blankToNull(d.get(CiliumNames.KEY_POD_CIDR_V4)));
    }

    /** The pod CIDRs of {@code cluster-pool-ipv4-cidr}, which the chart renders space-separated. */
    public List<String> podCidrsV4() {
        if (podCidrV4 == null) {
            return List.of();
        }
        return Arrays.stream(podCidrV4.trim().split("[\\s,]+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** The tunnel as cilium-cli records it in access information: the protocol, or {@code disabled}. */
    public String tunnelDescription() {
        return tunnelProtocol == null ? "disabled" : tunnelProtocol;
    }

    private static Integer parseIntOrNull(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String orDefault(String value, String fallback) {
        String v = blankToNull(value);
        return v == null ? fallback : v;
    }

    private static String blankToNull(String value) {
        String v = trim(value);
        return v == null || v.isEmpty() ? null : v;
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }
}
