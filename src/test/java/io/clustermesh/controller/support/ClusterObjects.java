package io.clustermesh.controller.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every object a simulated cluster holds, by "kind ns/name", as canonical JSON without what the
 * API server or the simulated controllers change on their own (resourceVersion, uid, timestamps,
 * status). Two snapshots are equal exactly when nobody changed an object's content.
 */
public final class ClusterObjects {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final List<Class<? extends HasMetadata>> KINDS = List.of(
            ConfigMap.class, Secret.class, Service.class, Deployment.class, DaemonSet.class, Pod.class, Node.class);
    private static final ResourceDefinitionContext CILIUM_NODES = new ResourceDefinitionContext.Builder()
            .withGroup("cilium.io")
            .withVersion("v2")
            .withKind("CiliumNode")
            .withPlural("ciliumnodes")
            .withNamespaced(false)
            .build();

    private ClusterObjects() {}

    public static Map<String, String> snapshot(KubernetesClient client) {
        Map<String, String> objects = new TreeMap<>();
        for (Class<? extends HasMetadata> kind : KINDS) {
            var resources = client.resources(kind);
            var items = kind == Node.class
                    ? resources.list().getItems()
                    : resources.inAnyNamespace().list().getItems();
            items.forEach(o -> objects.put(key(o), canonical(o)));
        }
        client.genericKubernetesResources(CILIUM_NODES)
                .list()
                .getItems()
                .forEach(o -> objects.put(key(o), canonical(o)));
        return objects;
    }

    /** Snapshots of several clusters, by cluster name. */
    public static Map<String, Map<String, String>> snapshot(Map<String, KubernetesClient> clients) {
        Map<String, Map<String, String>> all = new TreeMap<>();
        clients.forEach((name, client) -> all.put(name, snapshot(client)));
        return all;
    }

    /**
     * Snapshots of several clusters once the simulated controllers are done: two in a row, 1.5 s
     * apart, equal. A Deployment still rolling its pods (each new pod takes a simulated start-up)
     * is not what a test comparing the service's writes means to compare.
     */
    public static Map<String, Map<String, String>> settledSnapshot(Map<String, KubernetesClient> clients) {
        var previous = new java.util.concurrent.atomic.AtomicReference<>(snapshot(clients));
        org.awaitility.Awaitility.await("the simulated controllers settle")
                .atMost(java.time.Duration.ofSeconds(60))
                .pollDelay(java.time.Duration.ofMillis(1500))
                .pollInterval(java.time.Duration.ofMillis(1500))
                .until(() -> {
                    var now = snapshot(clients);
                    return now.equals(previous.getAndSet(now));
                });
        return previous.get();
    }

    /** Writes a snapshot under target/ so a failed comparison can be read afterwards. */
    public static void dump(String name, Object snapshot) {
        try {
            Path dir = Path.of("target", "cluster-dumps");
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve(name + ".json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(snapshot));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return o.getKind() + " " + (ns == null ? "" : ns + "/")
                + o.getMetadata().getName();
    }

    private static String canonical(HasMetadata o) {
        ObjectNode tree = JSON.valueToTree(o);
        tree.remove("status");
        JsonNode metadata = tree.get("metadata");
        if (metadata instanceof ObjectNode m) {
            m.remove(List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"));
        }
        try {
            return JSON.writeValueAsString(JSON.treeToValue(tree, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
