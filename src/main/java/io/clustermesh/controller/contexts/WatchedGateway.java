package io.clustermesh.controller.contexts;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The read-only view status and health paths use: single objects and lists answered from the
 * cluster's informers when {@link ClusterWatches} says they are fresh, else read directly. Objects
 * from the store are shared: callers must not modify them. Writes, pod proxy, exec and cleanup
 * listings always go to the API server.
 */
final class WatchedGateway implements ClusterGateway {
    private final ClusterGateway direct;
    private final ClusterWatches watches;

    WatchedGateway(ClusterGateway direct, ClusterWatches watches) {
        this.direct = direct;
        this.watches = watches;
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return one(ConfigMap.class, "ConfigMap", namespace, name, () -> direct.configMap(namespace, name));
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return one(Secret.class, "Secret", namespace, name, () -> direct.secret(namespace, name));
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return one(Service.class, "Service", namespace, name, () -> direct.service(namespace, name));
    }

    @Override
    public Optional<Deployment> deployment(String namespace, String name) {
        return one(Deployment.class, "Deployment", namespace, name, () -> direct.deployment(namespace, name));
    }

    @Override
    public Optional<DaemonSet> daemonSet(String namespace, String name) {
        return one(DaemonSet.class, "DaemonSet", namespace, name, () -> direct.daemonSet(namespace, name));
    }

    @Override
    public List<Node> nodes() {
        return all(Node.class, "Node", null, Map.of(), direct::nodes);
    }

    @Override
    public List<Pod> pods(String namespace, Map<String, String> labels) {
        return all(Pod.class, "Pod", namespace, labels, () -> direct.pods(namespace, labels));
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return one(Pod.class, "Pod", namespace, name, () -> direct.pod(namespace, name));
    }

    @Override
    public List<GenericKubernetesResource> customResources(CustomKind kind) {
        return watches.fresh(kind, null)
                .map(store -> store.all().stream()
                        .map(GenericKubernetesResource.class::cast)
                        .toList())
                .orElseGet(() -> direct.customResources(kind));
    }

    @Override
    public Optional<GenericKubernetesResource> customResource(CustomKind kind, String name) {
        return watches.fresh(kind, name)
                .map(store -> Optional.ofNullable(store.get(name)).map(GenericKubernetesResource.class::cast))
                .orElseGet(() -> direct.customResource(kind, name));
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(Class<T> kind, String namespace, String name) {
        return direct.get(kind, namespace, name);
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels) {
        return direct.list(kind, namespace, labels);
    }

    @Override
    public <T extends HasMetadata> T apply(T desired) {
        return direct.apply(desired);
    }

    @Override
    public <T extends HasMetadata> boolean delete(Class<T> kind, String namespace, String name) {
        return direct.delete(kind, namespace, name);
    }

    @Override
    public String podProxyGet(String namespace, String pod, int port, String path) {
        return direct.podProxyGet(namespace, pod, port, path);
    }

    @Override
    public String exec(String namespace, String pod, String container, Duration timeout, String... command) {
        return direct.exec(namespace, pod, container, timeout, command);
    }

    private <T extends HasMetadata> Optional<T> one(
            Class<T> type, String kind, String namespace, String name, Supplier<Optional<T>> read) {
        var source = ClusterWatches.Source.of(kind, namespace);
        return watches.fresh(source, name)
                .map(store -> Optional.ofNullable(store.get(source.key(name))).map(type::cast))
                .orElseGet(read);
    }

    private <T extends HasMetadata> List<T> all(
            Class<T> type, String kind, String namespace, Map<String, String> labels, Supplier<List<T>> read) {
        return watches.fresh(ClusterWatches.Source.of(kind, namespace), null)
                .map(store -> store.all().stream()
                        .filter(o -> matches(o, labels))
                        .map(type::cast)
                        .toList())
                .orElseGet(read);
    }

    static boolean matches(HasMetadata object, Map<String, String> labels) {
        Map<String, String> present = object.getMetadata().getLabels();
        return labels.entrySet().stream()
                .allMatch(e -> present != null && e.getValue().equals(present.get(e.getKey())));
    }
}
