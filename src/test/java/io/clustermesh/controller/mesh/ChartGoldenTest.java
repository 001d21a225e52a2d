package io.clustermesh.controller.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clustermesh.controller.cilium.ApiServerChart;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.ApiServerValues;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumRelease;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.cilium.ClusterMeshValues;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.cilium.RemoteClientTls;
import io.clustermesh.controller.cilium.RemoteEndpoint;
import io.clustermesh.controller.support.CiliumCharts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The clustermesh objects we write, compared object by object and field by field with what
 * Cilium's own chart renders for the same values, for every chart in ../shared/charts. Every
 * deliberate difference is listed once, in {@link Deliberate}; any other difference fails.
 */
class ChartGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final String CA = "-----BEGIN CERTIFICATE-----\nCA-of-homelab\n-----END CERTIFICATE-----\n";
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nremote-of-homelab\n-----END CERTIFICATE-----\n";
    private static final String KEY = "placeholder-client-key-of-homelab\n";

    /** One remote cluster as connect sees it, and as the chart's {@code clustermesh.config.clusters[]} entry says it. */
    record Remote(RemoteEndpoint endpoint, RemoteClientTls tls) {}

    /** What enable and connect were asked, for one cluster, in chart-values terms. */
    record Scenario(
            String name,
            String clusterName,
            int clusterId,
            String serviceType,
            boolean kvstoremesh,
            List<Remote> remotes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario(
                    "homelab: NodePort, KVStoreMesh, one remote by IP, shared CA",
                    "homelab",
                    1,
                    "NodePort",
                    true,
                    List.of(new Remote(
                            new RemoteEndpoint.ViaHostAliases("cloud", List.of("203.0.113.10"), 2379), null))),
            new Scenario(
                    "cloud: LoadBalancer, KVStoreMesh, two remotes (IP with own CA, hostname)",
                    "cloud",
                    2,
                    "LoadBalancer",
                    true,
                    List.of(
                            new Remote(
                                    new RemoteEndpoint.ViaHostAliases("homelab", List.of("198.51.100.200"), 32379),
                                    new RemoteClientTls(CA, CERT, KEY)),
                            new Remote(new RemoteEndpoint.ViaAddress("lab2", "lab2.example.org", 2379), null))),
            new Scenario(
                    "edge: ClusterIP, KVStoreMesh off, one remote by IP",
                    "edge",
                    3,
                    "ClusterIP",
                    false,
                    List.of(new Remote(
                            new RemoteEndpoint.ViaHostAliases("cloud", List.of("203.0.113.10"), 2379), null))));

    static Stream<Arguments> chartsAndScenarios() {
        return CiliumCharts.VERSIONS.stream().flatMap(v -> SCENARIOS.stream().map(s -> Arguments.of(v, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("chartsAndScenarios")
    void whatWeWriteIsWhatTheChartRenders(String version, Scenario scenario) {
        Map<String, ObjectNode> chart = clustermeshObjectsOf(CiliumCharts.render(version, valuesFor(scenario)));
        Map<String, ObjectNode> ours = ourObjects(CiliumRelease.parse(version), scenario);

        List<String> differences = new ArrayList<>();
        for (String key : union(chart.keySet(), ours.keySet())) {
            ObjectNode rendered = chart.get(key);
            ObjectNode written = ours.get(key);
            if (rendered == null) {
                differences.add(key + ": we write it, the chart does not");
            } else if (written == null) {
                differences.add(key + ": the chart renders it, we do not");
            } else {
                JsonNode chartSide = normalize(rendered);
                compare(
                        key,
                        Deliberate.applyTo(key, chartSide, chartSide),
                        Deliberate.applyTo(key, normalize(written), chartSide),
                        differences);
            }
        }
        assertThat(differences)
                .as("differences from Cilium's %s chart (%s)", version, scenario)
                .isEmpty();
    }

    /** The comparison itself must be able to fail: one wrong argv element is caught, for every chart. */
    @Test
    void aWrongArgvElementIsCaught() {
        for (String version : CiliumCharts.VERSIONS) {
            Scenario scenario = SCENARIOS.get(0);
            Map<String, ObjectNode> chart = clustermeshObjectsOf(CiliumCharts.render(version, valuesFor(scenario)));
            ObjectNode deployment =
                    ourObjects(CiliumRelease.parse(version), scenario).get("Deployment/clustermesh-apiserver");
            // The defect issue 19 found: two flags in one argv element.
            ArrayNode args = (ArrayNode) deployment.at("/spec/template/spec/containers/1/args");
            args.set(1, JSON.getNodeFactory().textNode("--cluster-name=$(CLUSTER_NAME) --cluster-id=$(CLUSTER_ID)"));
            args.remove(2);
            List<String> differences = new ArrayList<>();
            String key = "Deployment/clustermesh-apiserver";
            JsonNode chartSide = normalize(chart.get(key));
            compare(
                    key,
                    Deliberate.applyTo(key, chartSide, chartSide),
                    Deliberate.applyTo(key, normalize(deployment), chartSide),
                    differences);
            assertThat(differences).as(version).anyMatch(d -> d.contains("containers[apiserver].args"));
        }
    }

    /** The heartbeat flag only exists from 1.18: writing it for 1.16 differs from that chart. */
    @Test
    void theHeartbeatFlagIsOnlyWrittenWhereTheChartHasIt() {
        for (String version : CiliumCharts.VERSIONS) {
            Map<String, ObjectNode> chart =
                    clustermeshObjectsOf(CiliumCharts.render(version, valuesFor(SCENARIOS.get(0))));
            boolean chartHasIt =
                    chart.get("Deployment/clustermesh-apiserver").toString().contains("--enable-heartbeat");
            assertThat(ApiServerChart.of(CiliumRelease.parse(version)).kvstoremeshHeartbeatFlag())
                    .as(version)
                    .isEqualTo(chartHasIt);
        }
        assertThat(ApiServerChart.of(CiliumRelease.parse("1.16.19")).kvstoremeshHeartbeatFlag())
                .isFalse();
    }

    /**
     * The values a GitOps-managed cluster is told to commit (409 gitops-managed), rendered by the real
     * chart, give the objects direct mode writes: enable's and connect's snippets, as two values files.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void theGitOpsValuesRenderWhatDirectModeWrites(String version, @TempDir Path dir) throws Exception {
        Scenario scenario = SCENARIOS.get(0);
        Path enable = Files.writeString(
                dir.resolve("enable.yaml"),
                ClusterMeshValues.enable(
                        scenario.clusterName(),
                        scenario.clusterId(),
                        scenario.serviceType(),
                        CiliumNames.DEFAULT_NODE_PORT));
        Path connect = Files.writeString(
                dir.resolve("connect.yaml"),
                ClusterMeshValues.connect(
                        scenario.remotes().stream().map(Remote::endpoint).toList()));
        Map<String, ObjectNode> chart =
                clustermeshObjectsOf(CiliumCharts.render(version, List.of(enable, connect), Map.of()));
        Map<String, ObjectNode> ours = ourObjects(CiliumRelease.parse(version), scenario);

        List<String> differences = new ArrayList<>();
        for (String key : union(chart.keySet(), ours.keySet())) {
            if (chart.get(key) == null || ours.get(key) == null) {
                differences.add(key
                        + (chart.get(key) == null
                                ? ": not rendered from the values"
                                : ": rendered, not written by direct mode"));
                continue;
            }
            JsonNode chartSide = normalize(chart.get(key));
            compare(
                    key,
                    Deliberate.applyTo(key, chartSide, chartSide),
                    Deliberate.applyTo(key, normalize(ours.get(key)), chartSide),
                    differences);
        }
        assertThat(differences).as("values snippet on chart %s", version).isEmpty();
    }

    static Stream<String> versions() {
        return CiliumCharts.VERSIONS.stream();
    }

    // ---- the chart side -------------------------------------------------------------------------

    static Map<String, String> valuesFor(Scenario s) {
        Map<String, String> v = CiliumCharts.values(
                "cluster.name",
                s.clusterName(),
                "cluster.id",
                String.valueOf(s.clusterId()),
                "clustermesh.useAPIServer",
                "true",
                "clustermesh.apiserver.service.type",
                s.serviceType(),
                "clustermesh.apiserver.kvstoremesh.enabled",
                String.valueOf(s.kvstoremesh()),
                "clustermesh.config.enabled",
                "true");
        for (int i = 0; i < s.remotes().size(); i++) {
            Remote r = s.remotes().get(i);
            String p = "clustermesh.config.clusters[" + i + "].";
            v.put(p + "name", r.endpoint().name());
            v.put(p + "port", String.valueOf(r.endpoint().port()));
            if (r.endpoint() instanceof RemoteEndpoint.ViaHostAliases ips) {
                for (int j = 0; j < ips.hostAliasIps().size(); j++) {
                    v.put(p + "ips[" + j + "]", ips.hostAliasIps().get(j));
                }
            } else if (r.endpoint() instanceof RemoteEndpoint.ViaAddress address) {
                v.put(p + "address", address.address());
            }
            if (r.tls() != null) {
                v.put(p + "tls.caCert", b64(r.tls().caCertPem()));
                v.put(p + "tls.cert", b64(r.tls().certPem()));
                v.put(p + "tls.key", b64(r.tls().keyPem()));
            }
        }
        return v;
    }

    /** The chart's objects that belong to ClusterMesh (the rest of a Cilium install is not ours to write). */
    static Map<String, ObjectNode> clustermeshObjectsOf(List<ObjectNode> rendered) {
        Map<String, ObjectNode> objects = new TreeMap<>();
        for (ObjectNode o : rendered) {
            String name = o.at("/metadata/name").asText();
            String key = o.get("kind").asText() + "/" + name;
            if ((name.contains("clustermesh") || name.contains("kvstoremesh")) && !Deliberate.CHART_ONLY.test(key)) {
                objects.put(key, o);
            }
        }
        return objects;
    }

    // ---- our side: the same builders enable and connect use ---------------------------------------

    static Map<String, ObjectNode> ourObjects(CiliumRelease release, Scenario s) {
        ApiServerChart chart = ApiServerChart.of(release);
        List<HostAlias> aliases = new ArrayList<>();
        Map<String, String> kvstoremesh = new LinkedHashMap<>();
        Map<String, String> agents = new LinkedHashMap<>();
        for (Remote r : s.remotes()) {
            if (s.kvstoremesh()) {
                aliases.addAll(ClusterMeshSecretEntries.hostAliasesFor(r.endpoint()));
                kvstoremesh.putAll(ClusterMeshSecretEntries.directEntries(r.endpoint(), r.tls()));
                agents.putAll(ClusterMeshSecretEntries.kvstoreMeshAgentEntries(
                        r.endpoint().name(), NS, release.line()));
            } else {
                agents.putAll(ClusterMeshSecretEntries.directEntries(r.endpoint(), r.tls()));
            }
        }
        String image = "quay.io/cilium/clustermesh-apiserver:v" + release;
        List<HasMetadata> objects = new ArrayList<>(List.of(
                ApiServerObjects.deployment(new ApiServerValues(
                        NS,
                        release,
                        image,
                        CiliumNames.DEFAULT_MAX_CONNECTED_CLUSTERS,
                        s.kvstoremesh(),
                        aliases,
                        List.of())),
                ApiServerObjects.service(
                        NS,
                        chart,
                        s.serviceType(),
                        "NodePort".equals(s.serviceType()) ? CiliumNames.DEFAULT_NODE_PORT : null),
                ApiServerObjects.metricsService(NS, s.kvstoremesh()),
                ApiServerObjects.serviceAccount(NS),
                ApiServerObjects.clusterRole(chart),
                ApiServerObjects.clusterRoleBinding(NS),
                secret(CiliumNames.CLUSTERMESH_SECRET, agents)));
        if (s.kvstoremesh()) {
            objects.add(secret(CiliumNames.KVSTOREMESH_SECRET, kvstoremesh));
        }
        if (chart.clusterUsers()) {
            objects.add(ApiServerObjects.remoteUsers(
                    NS, s.remotes().stream().map(r -> r.endpoint().name()).toList()));
        }
        Map<String, ObjectNode> byKey = new TreeMap<>();
        for (HasMetadata o : objects) {
            byKey.put(o.getKind() + "/" + o.getMetadata().getName(), (ObjectNode) readTree(Serialization.asJson(o)));
        }
        return byKey;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HasMetadata secret(String name, Map<String, String> plain) {
        Map<String, String> data = new LinkedHashMap<>();
        plain.forEach((k, v) -> data.put(k, b64(v)));
        return new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(MeshLabels.ours())
                .endMetadata()
                .withData(data)
                .build();
    }

    // ---- comparison ---------------------------------------------------------------------------------

    /**
     * Drops what carries no meaning to the API server: nulls, empty strings, empty maps and lists
     * (fabric8 leaves them out, Helm writes {@code annotations: null} and {@code medium: ""}).
     */
    static JsonNode normalize(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                var field = it.next();
                JsonNode value = normalize(field.getValue());
                if (!isEmpty(value)) {
                    copy.set(field.getKey(), value);
                }
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            array.forEach(element -> copy.add(normalize(element)));
            return copy;
        }
        return node;
    }

    private static boolean isEmpty(JsonNode value) {
        return value == null
                || value.isNull()
                || (value.isTextual() && value.asText().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
    }

    /** Field-by-field; list elements with a name (containers, env, ports, volumes) are matched by name. */
    static void compare(String path, JsonNode chart, JsonNode ours, List<String> differences) {
        if (chart.isObject() && ours.isObject()) {
            for (String field : union(iterable(chart.fieldNames()), iterable(ours.fieldNames()))) {
                JsonNode c = chart.get(field);
                JsonNode o = ours.get(field);
                if (c == null || o == null) {
                    differences.add(path + "." + field + ": chart=" + c + " ours=" + o);
                } else {
                    compare(path + "." + field, c, o, differences);
                }
            }
        } else if (chart.isArray() && ours.isArray()) {
            if (allNamed(chart) && allNamed(ours)) {
                List<String> chartNames = names(chart);
                List<String> ourNames = names(ours);
                if (!chartNames.equals(ourNames)) {
                    differences.add(path + " names/order: chart=" + chartNames + " ours=" + ourNames);
                }
                for (JsonNode c : chart) {
                    for (JsonNode o : ours) {
                        if (c.get("name").equals(o.get("name"))) {
                            compare(path + "[" + c.get("name").asText() + "]", c, o, differences);
                        }
                    }
                }
            } else if (!chart.equals(ours)) {
                differences.add(path + ": chart=" + chart + " ours=" + ours);
            }
        } else if (!chart.equals(ours)) {
            differences.add(path + ": chart=" + chart + " ours=" + ours);
        }
    }

    private static boolean allNamed(JsonNode array) {
        if (array.isEmpty()) {
            return false;
        }
        for (JsonNode element : array) {
            if (!element.isObject() || !element.hasNonNull("name")) {
                return false;
            }
        }
        return true;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(e -> names.add(e.get("name").asText()));
        return names;
    }

    private static <T> Iterable<T> iterable(Iterator<T> it) {
        return () -> it;
    }

    private static List<String> union(Iterable<String> a, Iterable<String> b) {
        Set<String> all = new java.util.TreeSet<>();
        a.forEach(all::add);
        b.forEach(all::add);
        return List.copyOf(all);
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The deliberate differences between what we write and what the chart renders, each with its
     * reason. This is the only place they are allowed.
     */
    static final class Deliberate {
        /**
         * Chart objects we do not write. The certgen Job/CronJob with its ServiceAccount, Role and
         * RoleBinding: we issue the ClusterMesh certificates ourselves (from our mesh CA, with the
         * reachability endpoint in the server certificate) into the same Secret names the chart's
         * Deployment and agents mount.
         */
        static final Predicate<String> CHART_ONLY = key -> key.contains("clustermesh-apiserver-generate-certs");

        private Deliberate() {}

        static JsonNode applyTo(String key, JsonNode object, JsonNode chart) {
            boolean chartSide = object == chart;
            ObjectNode o = (ObjectNode) object.deepCopy();
            if (!chartSide) {
                // Ours carry our labels (managed-by clustermesh-controller: disable deletes exactly those; part-of
                // cilium, which the chart puts on some objects only) and clustermesh-controller.io/* bookkeeping
                // annotations (desired hash, remotes we wrote).
                stripOurMarkers(o.with("metadata"), chart.at("/metadata/labels"));
                if (o.at("/spec/template/metadata").isObject()) {
                    stripOurMarkers(
                            (ObjectNode) o.at("/spec/template/metadata"), chart.at("/spec/template/metadata/labels"));
                }
            }
            if (chartSide) {
                // The chart pins the image by digest; we know the tag (= the agents' tag) and the agents'
                // registry, not the digest of the apiserver image in that registry.
                o.findParents("image").forEach(parent -> {
                    String image = parent.get("image").asText();
                    if (image.contains("@sha256:")) {
                        ((ObjectNode) parent).put("image", image.substring(0, image.indexOf('@')));
                    }
                });
                if (key.equals("ClusterRole/clustermesh-apiserver")) {
                    // 1.15's chart also lets the clustermesh-apiserver write (external workloads); the feature is off
                    // (--enable-external-workloads=false) and Kubernetes would make us hold every right we grant.
                    ArrayNode rules = (ArrayNode) o.get("rules");
                    for (int i = rules.size() - 1; i >= 0; i--) {
                        JsonNode rule = rules.get(i);
                        boolean writes = !rule.get("verbs").toString().contains("get")
                                && !rule.get("verbs").toString().contains("list");
                        if (writes) {
                            rules.remove(i);
                        } else {
                            ArrayNode resources = (ArrayNode) rule.get("resources");
                            for (int j = resources.size() - 1; j >= 0; j--) {
                                if (resources.get(j).asText().startsWith("ciliumexternalworkloads")) {
                                    resources.remove(j);
                                }
                            }
                        }
                    }
                }
                if (key.equals("Service/clustermesh-apiserver")
                        && "ClusterIP".equals(o.at("/spec/type").asText())) {
                    // The API server refuses externalTrafficPolicy on a ClusterIP Service; the chart renders it anyway.
                    o.with("spec").remove("externalTrafficPolicy");
                }
            }
            if (key.startsWith("Secret/") || key.startsWith("ConfigMap/")) {
                // Compare what the agents read: decoded values (the chart writes no type on these Secrets).
                o.remove("type");
                if (o.has("data") && key.startsWith("Secret/")) {
                    ObjectNode decoded = JSON.createObjectNode();
                    o.get("data")
                            .fields()
                            .forEachRemaining(e -> decoded.put(
                                    e.getKey(),
                                    new String(
                                            Base64.getDecoder()
                                                    .decode(e.getValue().asText()),
                                            StandardCharsets.UTF_8)));
                    o.set("data", decoded);
                }
            }
            return o;
        }

        private static void stripOurMarkers(ObjectNode metadata, JsonNode chartLabels) {
            if (metadata.get("labels") instanceof ObjectNode labels) {
                MeshLabels.ours().forEach((k, v) -> {
                    if (!v.equals(chartLabels.path(k).asText(null))) {
                        labels.remove(k);
                    }
                });
                if (labels.isEmpty()) {
                    metadata.remove("labels");
                }
            }
            if (metadata.get("annotations") instanceof ObjectNode annotations) {
                List<String> ours = new ArrayList<>();
                annotations.fieldNames().forEachRemaining(n -> {
                    if (n.startsWith("clustermesh-controller.io/")) {
                        ours.add(n);
                    }
                });
                ours.forEach(annotations::remove);
                if (annotations.isEmpty()) {
                    metadata.remove("annotations");
                }
            }
        }
    }
}
