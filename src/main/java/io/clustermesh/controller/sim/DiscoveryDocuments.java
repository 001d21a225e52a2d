package io.clustermesh.controller.sim;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * API discovery documents for the kinds the simulated clusters hold. fabric8's CRUD mock answers
 * discovery with empty lists, and kubectl refuses to work without them.
 */
final class DiscoveryDocuments {

    private record Kind(String plural, String kind, boolean namespaced) {
        String shortName() {
            return SHORT_NAMES.getOrDefault(plural, "");
        }
    }

    private static final Map<String, String> SHORT_NAMES = Map.of("configmaps", "cm", "daemonsets", "ds", "pods", "po",
            "services", "svc", "deployments", "deploy", "nodes", "no", "namespaces", "ns", "serviceaccounts", "sa",
            "endpoints", "ep", "ciliumnodes", "cn");

    private static final Map<String, List<Kind>> GROUPS = Map.of(
            "v1", List.of(new Kind("nodes", "Node", false), new Kind("pods", "Pod", true),
                    new Kind("services", "Service", true), new Kind("configmaps", "ConfigMap", true),
                    new Kind("secrets", "Secret", true), new Kind("namespaces", "Namespace", false),
                    new Kind("serviceaccounts", "ServiceAccount", true), new Kind("endpoints", "Endpoints", true),
                    new Kind("events", "Event", true)),
            "apps/v1", List.of(new Kind("deployments", "Deployment", true), new Kind("daemonsets", "DaemonSet", true)),
            "rbac.authorization.k8s.io/v1", List.of(new Kind("clusterroles", "ClusterRole", false),
                    new Kind("clusterrolebindings", "ClusterRoleBinding", false), new Kind("roles", "Role", true),
                    new Kind("rolebindings", "RoleBinding", true)),
            "cilium.io/v2", List.of(new Kind("ciliumnodes", "CiliumNode", false)),
            "coordination.k8s.io/v1", List.of(new Kind("leases", "Lease", true)));

    private DiscoveryDocuments() {
    }

    static String forPath(String path) {
        if (path.equals("/version")) {
            return "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0-simulated\",\"platform\":\"linux/amd64\"}";
        }
        if (path.equals("/api")) {
            return "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}";
        }
        if (path.equals("/api/v1")) {
            return resourceList("v1");
        }
        if (path.equals("/apis")) {
            String groups = GROUPS.keySet().stream().filter(g -> g.contains("/")).sorted().map(gv -> {
                String group = gv.substring(0, gv.indexOf('/'));
                String version = gv.substring(gv.indexOf('/') + 1);
                String v = "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + version + "\"}";
                return "{\"name\":\"" + group + "\",\"versions\":[" + v + "],\"preferredVersion\":" + v + "}";
            }).collect(Collectors.joining(","));
            return "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + groups + "]}";
        }
        if (path.startsWith("/apis/")) {
            String gv = path.substring("/apis/".length());
            if (GROUPS.containsKey(gv)) {
                return resourceList(gv);
            }
        }
        return null;
    }

    private static String resourceList(String groupVersion) {
        String resources = GROUPS.get(groupVersion).stream().map(k -> "{\"name\":\"" + k.plural() + "\",\"singularName\":\"\",\"shortNames\":[" + (k.shortName().isEmpty() ? "" : "\"" + k.shortName() + "\"") + "],\"namespaced\":"
                + k.namespaced() + ",\"kind\":\"" + k.kind() + "\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}")
                .collect(Collectors.joining(","));
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion + "\",\"resources\":[" + resources + "]}";
    }
}
