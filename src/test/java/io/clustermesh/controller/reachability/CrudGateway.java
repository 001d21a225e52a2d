package io.clustermesh.controller.reachability;

import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.CustomKind;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The few gateway calls the probe Pods make, over a fabric8 client of a CRUD mock server. */
final class CrudGateway implements ClusterGateway {
    private final KubernetesClient client;

    CrudGateway(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(
                client.secrets().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return Optional.ofNullable(
                client.pods().inNamespace(namespace).withName(name).get());
    }

    @Override
    public <T extends HasMetadata> T apply(T desired) {
        return client.resource(desired).create();
    }

    @Override
    public <T extends HasMetadata> boolean delete(Class<T> kind, String namespace, String name) {
        return !client.resources(kind)
                .inNamespace(namespace)
                .withName(name)
                .delete()
                .isEmpty();
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(
                client.configMaps().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return Optional.ofNullable(
                client.services().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Deployment> deployment(String namespace, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<DaemonSet> daemonSet(String namespace, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Node> nodes() {
        return client.nodes().list().getItems();
    }

    @Override
    public List<Pod> pods(String namespace, Map<String, String> labels) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<GenericKubernetesResource> customResources(CustomKind kind) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<GenericKubernetesResource> customResource(CustomKind kind, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(Class<T> kind, String namespace, String name) {
        var resources = client.resources(kind);
        return Optional.ofNullable((namespace == null
                        ? resources.withName(name)
                        : resources.inNamespace(namespace).withName(name))
                .get());
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String podProxyGet(String namespace, String pod, int port, String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String exec(String namespace, String pod, String container, Duration timeout, String... command) {
        throw new UnsupportedOperationException();
    }
}
