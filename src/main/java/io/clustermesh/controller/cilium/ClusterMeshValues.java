package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cilium chart values that express a ClusterMesh change (contract §5.4), as YAML a user commits
 * to the Git repository an Argo CD or Flux install is rendered from. Same settings cilium-cli's
 * Helm mode writes: the apiserver with KVStoreMesh, its Service, and one entry per remote.
 */
public final class ClusterMeshValues {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ClusterMeshValues() {}

    public static String enable(String clusterName, Integer clusterId, String serviceType, Integer nodePort) {
        return enable(clusterName, clusterId, serviceType, nodePort, null, Map.of());
    }

    /** With the chart's {@code service.loadBalancerClass} and {@code service.annotations} (a Tailscale-exposed apiserver). */
    public static String enable(
            String clusterName,
            Integer clusterId,
            String serviceType,
            Integer nodePort,
            String loadBalancerClass,
            Map<String, String> annotations) {
        return enable(
                clusterName, clusterId, serviceType, nodePort, loadBalancerClass, annotations, List.of(), List.of());
    }

    /**
     * With extra names for the server certificate the chart issues
     * ({@code clustermesh.apiserver.tls.server.extraDnsNames}/{@code extraIpAddresses}, read by every
     * TLS method of 1.15 to 1.19): the address remotes dial (a router's public address, a
     * LoadBalancer hostname).
     */
    public static String enable(
            String clusterName,
            Integer clusterId,
            String serviceType,
            Integer nodePort,
            String loadBalancerClass,
            Map<String, String> annotations,
            List<String> serverDnsNames,
            List<String> serverIps) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("type", serviceType);
        if (nodePort != null) {
            service.put("nodePort", nodePort);
        }
        if (loadBalancerClass != null) {
            service.put("loadBalancerClass", loadBalancerClass);
        }
        if (!annotations.isEmpty()) {
            service.put("annotations", annotations);
        }
        Map<String, Object> apiserver = new LinkedHashMap<>();
        apiserver.put("kvstoremesh", Map.of("enabled", true));
        apiserver.put("service", service);
        // The chart issues the certificates; every cluster of the mesh needs the same cilium-ca (tls.ca.cert/key).
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("auto", orderedMap("enabled", true, "method", "cronJob", "schedule", "0 0 1 */4 *"));
        if (!serverDnsNames.isEmpty() || !serverIps.isEmpty()) {
            Map<String, Object> server = new LinkedHashMap<>();
            if (!serverDnsNames.isEmpty()) {
                server.put("extraDnsNames", serverDnsNames);
            }
            if (!serverIps.isEmpty()) {
                server.put("extraIpAddresses", serverIps);
            }
            tls.put("server", server);
        }
        apiserver.put("tls", tls);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("cluster", orderedMap("name", clusterName, "id", clusterId));
        values.put("clustermesh", orderedMap("useAPIServer", true, "apiserver", apiserver));
        return yaml(values);
    }

    /** {@code clustermesh.config} listing every remote this cluster should reach. */
    public static String connect(List<RemoteEndpoint> remotes) {
        List<Map<String, Object>> clusters = new ArrayList<>();
        for (RemoteEndpoint remote : remotes) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", remote.name());
            if (remote instanceof RemoteEndpoint.ViaHostAliases ips) {
                entry.put("ips", ips.hostAliasIps());
            } else if (remote instanceof RemoteEndpoint.ViaAddress address) {
                entry.put("address", address.address());
            }
            entry.put("port", remote.port());
            clusters.add(entry);
        }
        return yaml(Map.of("clustermesh", Map.of("config", orderedMap("enabled", true, "clusters", clusters))));
    }

    public static String disable() {
        return yaml(Map.of(
                "clustermesh",
                orderedMap("useAPIServer", false, "config", orderedMap("enabled", false, "clusters", List.of()))));
    }

    private static Map<String, Object> orderedMap(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static String yaml(Object values) {
        try {
            return YAML.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
