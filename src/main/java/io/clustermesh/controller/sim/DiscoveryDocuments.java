package io.clustermesh.controller.sim;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * API discovery documents for the kinds the simulated clusters hold. fabric8's CRUD mock answers
 * discovery with empty lists, and kubectl and Helm refuse to work without them.
 */
final class DiscoveryDocuments {

    private record Kind(String plural, String kind, boolean namespaced) {
        String shortName() {
            return SHORT_NAMES.getOrDefault(plural, "");
        }
    }

    private static final Map<String, String> SHORT_NAMES = Map.of(
            "configmaps",
            "cm",
            "daemonsets",
            "ds",
            "pods",
            "po",
            "services",
            "svc",
            "deployments",
            "deploy",
            "nodes",
            "no",
            "namespaces",
            "ns",
            "serviceaccounts",
            "sa",
            "endpoints",
            "ep",
            "ciliumnodes",
            "cn");

    private static final Map<String, List<Kind>> GROUPS = Map.of(
            "v1",
                    List.of(
                            new Kind("nodes", "Node", false),
                            new Kind("pods", "Pod", true),
                            new Kind("services", "Service", true),
                            new Kind("configmaps", "ConfigMap", true),
                            new Kind("secrets", "Secret", true),
                            new Kind("namespaces", "Namespace", false),
                            new Kind("serviceaccounts", "ServiceAccount", true),
                            new Kind("endpoints", "Endpoints", true),
                            new Kind("events", "Event", true),
                            new Kind("resourcequotas", "ResourceQuota", true)),
            "apps/v1",
                    List.of(
                            new Kind("deployments", "Deployment", true),
                            new Kind("daemonsets", "DaemonSet", true),
                            new Kind("statefulsets", "StatefulSet", true)),
            // Built-in kinds Cilium's charts (1.15 to 1.19) render, so a real `helm install` maps every object;
            // CRD kinds (cert-manager, Prometheus Operator, Gateway API) stay unknown, as on a cluster without them.
            "batch/v1", List.of(new Kind("cronjobs", "CronJob", true), new Kind("jobs", "Job", true)),
            "policy/v1", List.of(new Kind("poddisruptionbudgets", "PodDisruptionBudget", true)),
            "networking.k8s.io/v1",
                    List.of(new Kind("ingresses", "Ingress", true), new Kind("ingressclasses", "IngressClass", false)),
            "discovery.k8s.io/v1", List.of(new Kind("endpointslices", "EndpointSlice", true)),
            "rbac.authorization.k8s.io/v1",
                    List.of(
                            new Kind("clusterroles", "ClusterRole", false),
                            new Kind("clusterrolebindings", "ClusterRoleBinding", false),
                            new Kind("roles", "Role", true),
                            new Kind("rolebindings", "RoleBinding", true)),
            "cilium.io/v2", List.of(new Kind("ciliumnodes", "CiliumNode", false)),
            "coordination.k8s.io/v1", List.of(new Kind("leases", "Lease", true)));

    private DiscoveryDocuments() {}

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
            String groups = GROUPS.keySet().stream()
                    .filter(g -> g.contains("/"))
                    .sorted()
                    .map(gv -> {
                        String group = gv.substring(0, gv.indexOf('/'));
                        String version = gv.substring(gv.indexOf('/') + 1);
                        String v = "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + version + "\"}";
                        return "{\"name\":\"" + group + "\",\"versions\":[" + v + "],\"preferredVersion\":" + v + "}";
                    })
                    .collect(Collectors.joining(","));
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

    /** {apiVersion, kind of its list} when {@code path} is a collection of a kind listed here, else null. */
    static String[] listType(String path) {
        String[] parts = path.split("/");
        String groupVersion;
        int rest;
        if (parts.length >= 4 && parts[1].equals("api")) {
            groupVersion = parts[2];
            rest = 3;
        } else if (parts.length >= 5 && parts[1].equals("apis")) {
            groupVersion = parts[2] + "/" + parts[3];
            rest = 4;
        } else {
            return null;
        }
        if (parts.length == rest + 3 && parts[rest].equals("namespaces")) {
            rest += 2;
        }
        if (parts.length != rest + 1 || !GROUPS.containsKey(groupVersion)) {
            return null;
        }
        String plural = parts[rest];
        return GROUPS.get(groupVersion).stream()
                .filter(k -> k.plural().equals(plural))
                .findFirst()
                .map(k -> new String[] {groupVersion, k.kind() + "List"})
                .orElse(null);
    }

    private static String resourceList(String groupVersion) {
        String resources = GROUPS.get(groupVersion).stream()
                .map(k -> "{\"name\":\"" + k.plural() + "\",\"singularName\":\"\",\"shortNames\":["
                        + (k.shortName().isEmpty() ? "" : "\"" + k.shortName() + "\"") + "],\"namespaced\":"
                        + k.namespaced() + ",\"kind\":\"" + k.kind()
                        + "\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}")
                .collect(Collectors.joining(","));
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + resources + "]}";
    }
}
