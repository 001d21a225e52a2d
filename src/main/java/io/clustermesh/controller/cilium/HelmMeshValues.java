package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * ClusterMesh as a change of a Helm release's own values (Helm mode, as cilium-cli 0.16+ does it):
 * each method takes the release's current user values ({@code helm get values}) and returns the
 * complete values of the next revision, the user's other values untouched. Disable puts every path
 * we manage back to what the release held before our first change, so a later
 * {@code helm upgrade --reuse-values --set X=Y} by the user is kept and only our settings go.
 */
public final class HelmMeshValues {
    /** Description of the revisions we make; disable finds the values from before the first one by it. */
    public static final String DESCRIPTION_PREFIX = "clustermesh-controller: ";
    /** Every values path enable, connect or disable may set: the only ones disable puts back. */
    static final List<String> MANAGED_PATHS = List.of(
            "cluster.name",
            "cluster.id",
            "clustermesh.useAPIServer",
            "clustermesh.apiserver.kvstoremesh.enabled",
            "clustermesh.apiserver.service.type",
            "clustermesh.apiserver.service.nodePort",
            "clustermesh.apiserver.tls.auto.enabled",
            "clustermesh.apiserver.tls.auto.method",
            "clustermesh.apiserver.tls.server.extraDnsNames",
            "clustermesh.apiserver.tls.server.extraIpAddresses",
            "tls.ca.cert",
            "tls.ca.key",
            "clustermesh.config.enabled",
            "clustermesh.config.clusters");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What enable sets: identity, the apiserver with KVStoreMesh, its Service, and TLS from the mesh CA.
     * {@code serverDnsNames}/{@code serverIps}: the names remotes dial this cluster's apiserver by (its
     * declared endpoint, LoadBalancer hostnames), added to the server certificate the chart issues.
     */
    public record Enable(
            String clusterName,
            int clusterId,
            String serviceType,
            Integer nodePort,
            String caCertPem,
            String caKeyPem,
            List<String> serverDnsNames,
            List<String> serverIps) {
        public Enable {
            serverDnsNames = List.copyOf(serverDnsNames);
            serverIps = List.copyOf(serverIps);
        }
    }

    private HelmMeshValues() {}

    public static ObjectNode enable(ObjectNode current, Enable enable) {
        ObjectNode values = current.deepCopy();
        set(values, "cluster.name", JSON.getNodeFactory().textNode(enable.clusterName()));
        set(values, "cluster.id", JSON.getNodeFactory().numberNode(enable.clusterId()));
        set(values, "clustermesh.useAPIServer", JSON.getNodeFactory().booleanNode(true));
        set(
                values,
                "clustermesh.apiserver.kvstoremesh.enabled",
                JSON.getNodeFactory().booleanNode(true));
        set(values, "clustermesh.apiserver.service.type", JSON.getNodeFactory().textNode(enable.serviceType()));
        if (enable.nodePort() != null) {
            set(
                    values,
                    "clustermesh.apiserver.service.nodePort",
                    JSON.getNodeFactory().numberNode(enable.nodePort()));
        }
        set(
                values,
                "clustermesh.apiserver.tls.auto.enabled",
                JSON.getNodeFactory().booleanNode(true));
        // A method the user chose (cronJob, certmanager) stays; otherwise the chart signs with the CA given to it.
        if (get(values, "clustermesh.apiserver.tls.auto.method") == null) {
            set(
                    values,
                    "clustermesh.apiserver.tls.auto.method",
                    JSON.getNodeFactory().textNode("helm"));
        }
        // Every cluster of a mesh must trust one CA: ours, unless the user gave the chart a CA of their own.
        if (get(values, "tls.ca.cert") == null && enable.caCertPem() != null) {
            set(values, "tls.ca.cert", JSON.getNodeFactory().textNode(base64(enable.caCertPem())));
            set(values, "tls.ca.key", JSON.getNodeFactory().textNode(base64(enable.caKeyPem())));
        }
        // Same keys from 1.15 to 1.19, read by every TLS method (helm, cronJob, certmanager).
        addNames(values, "clustermesh.apiserver.tls.server.extraDnsNames", enable.serverDnsNames());
        addNames(values, "clustermesh.apiserver.tls.server.extraIpAddresses", enable.serverIps());
        return values;
    }

    /** Appends the names the list lacks; the user's own names stay first and untouched. */
    private static void addNames(ObjectNode values, String path, List<String> names) {
        ArrayNode list = get(values, path) instanceof ArrayNode a ? a : JSON.createArrayNode();
        List<String> have = new java.util.ArrayList<>();
        list.forEach(n -> have.add(n.asText()));
        boolean added = false;
        for (String name : names) {
            if (!have.contains(name)) {
                list.add(name);
                have.add(name);
                added = true;
            }
        }
        if (added) {
            set(values, path, list);
        }
    }

    /** Adds (or updates) one {@code clustermesh.config.clusters} entry per remote; entries of other names stay. */
    public static ObjectNode connect(ObjectNode current, List<RemoteEndpoint> remotes) {
        ObjectNode values = current.deepCopy();
        set(values, "clustermesh.config.enabled", JSON.getNodeFactory().booleanNode(true));
        ArrayNode clusters =
                get(values, "clustermesh.config.clusters") instanceof ArrayNode a ? a : JSON.createArrayNode();
        for (RemoteEndpoint remote : remotes) {
            ObjectNode entry = JSON.createObjectNode().put("name", remote.name());
            if (remote instanceof RemoteEndpoint.ViaHostAliases ips) {
                ips.hostAliasIps().forEach(entry.putArray("ips")::add);
            } else if (remote instanceof RemoteEndpoint.ViaAddress address) {
                entry.put("address", address.address());
            }
            entry.put("port", remote.port());
            int at = indexOf(clusters, remote.name());
            if (at >= 0) {
                clusters.set(at, entry);
            } else {
                clusters.add(entry);
            }
        }
        set(values, "clustermesh.config.clusters", clusters);
        return values;
    }

    /** Removes the entries of {@code names} only; config stays enabled while other entries remain. */
    public static ObjectNode disconnect(ObjectNode current, Set<String> names) {
        ObjectNode values = current.deepCopy();
        if (get(values, "clustermesh.config.clusters") instanceof ArrayNode clusters) {
            for (int i = clusters.size() - 1; i >= 0; i--) {
                if (names.contains(clusters.get(i).path("name").asText())) {
                    clusters.remove(i);
                }
            }
        }
        return values;
    }

    /** Every managed path back to its value in {@code before} (the values before our first change), or removed. */
    public static ObjectNode disable(ObjectNode current, ObjectNode before) {
        return chartDefaults(current, before);
    }

    /**
     * The revision from before our first change since the last disable: the one right
     * before the oldest of our revisions newer than our last {@code disable}. Null when no such
     * revision is kept (none of ours, or Helm pruned the history): disable then removes every managed path.
     */
    public static HelmRelease baseline(List<HelmRelease> history) {
        List<HelmRelease> oldestFirst = history.stream()
                .sorted(java.util.Comparator.comparingInt(HelmRelease::revision))
                .toList();
        HelmRelease baseline = null;
        boolean inEpisode = false;
        for (int i = 0; i < oldestFirst.size(); i++) {
            String description = oldestFirst.get(i).description();
            if (description.equals(DESCRIPTION_PREFIX + "disable")) {
                inEpisode = false;
                baseline = null;
            } else if (description.startsWith(DESCRIPTION_PREFIX) && !inEpisode) {
                inEpisode = true;
                baseline = i > 0
                                && oldestFirst.get(i - 1).revision()
                                        == oldestFirst.get(i).revision() - 1
                        ? oldestFirst.get(i - 1)
                        : null;
            }
        }
        return baseline;
    }

    /**
     * The chart's own defaults for the managed paths, from {@code pristine} (a revision before any
     * change of ours), written over {@code chartValues}. Needed because {@code helm upgrade
     * --reuse-values} stores the old values merged into the chart's defaults in the release record:
     * after a user's seed-style upgrade the record's chart would default to our settings.
     */
    public static ObjectNode chartDefaults(ObjectNode chartValues, ObjectNode pristine) {
        ObjectNode values = chartValues.deepCopy();
        for (String path : MANAGED_PATHS) {
            JsonNode original = get(pristine, path);
            if (original != null) {
                set(values, path, original.deepCopy());
            } else {
                remove(values, path);
            }
        }
        return values;
    }

    static JsonNode get(JsonNode values, String path) {
        JsonNode node = values;
        for (String key : path.split("\\.")) {
            node = node == null ? null : node.get(key);
        }
        return node == null || node.isNull() ? null : node;
    }

    private static void set(ObjectNode values, String path, JsonNode value) {
        String[] keys = path.split("\\.");
        ObjectNode node = values;
        for (int i = 0; i < keys.length - 1; i++) {
            node = node.get(keys[i]) instanceof ObjectNode child ? child : node.putObject(keys[i]);
        }
        node.set(keys[keys.length - 1], value);
    }

    /** Removes the key, then every map on the way that it left empty (Helm keeps no empty maps we made). */
    private static void remove(ObjectNode values, String path) {
        String[] keys = path.split("\\.");
        ObjectNode[] parents = new ObjectNode[keys.length];
        ObjectNode node = values;
        for (int i = 0; i < keys.length; i++) {
            parents[i] = node;
            if (i == keys.length - 1) {
                node.remove(keys[i]);
            } else if (node.get(keys[i]) instanceof ObjectNode child) {
                node = child;
            } else {
                return;
            }
        }
        for (int i = keys.length - 2; i >= 0; i--) {
            if (parents[i].get(keys[i]) instanceof ObjectNode child && child.isEmpty()) {
                parents[i].remove(keys[i]);
            }
        }
    }

    private static int indexOf(ArrayNode clusters, String name) {
        for (int i = 0; i < clusters.size(); i++) {
            if (name.equals(clusters.get(i).path("name").asText())) {
                return i;
            }
        }
        return -1;
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }
}
