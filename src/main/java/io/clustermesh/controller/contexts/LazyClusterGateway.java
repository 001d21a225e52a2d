package io.clustermesh.controller.contexts;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
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
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the fabric8 client on the first call rather than when the kubeconfig is read: building
 * one loads most of the client's classes and TLS material, which would otherwise sit on the
 * start-up path for every cluster. The cluster is listed from the moment its kubeconfig is read.
 */
final class LazyClusterGateway implements ClusterGateway {
    private final String clusterName;
    private final Supplier<KubernetesClient> clientFactory;
    private final Function<KubernetesClient, ClusterGateway> gatewayFactory;
    private volatile KubernetesClient client;
    private volatile ClusterGateway gateway;
    private boolean closed;

    LazyClusterGateway(
            String clusterName,
            Supplier<KubernetesClient> clientFactory,
            Function<KubernetesClient, ClusterGateway> gatewayFactory) {
        this.clusterName = clusterName;
        this.clientFactory = clientFactory;
        this.gatewayFactory = gatewayFactory;
    }

    private ClusterGateway delegate() {
        ClusterGateway built = gateway;
        if (built != null) {
            return built;
        }
        synchronized (this) {
            if (gateway == null) {
                if (closed) {
                    throw new ProblemException(
                            ProblemType.CLUSTER_UNREACHABLE,
                            "cluster " + clusterName + ": its kubeconfig was replaced or removed");
                }
                KubernetesClient fresh;
                try {
                    fresh = clientFactory.get();
                } catch (RuntimeException e) {
                    throw new ProblemException(
                            ProblemType.CLUSTER_UNREACHABLE,
                            "cluster " + clusterName + ": cannot build a client for its kubeconfig context ("
                                    + e.getClass().getSimpleName() + ")");
                }
                client = fresh;
                gateway = gatewayFactory.apply(fresh);
            }
            return gateway;
        }
    }

    /** The client, built now if this is the first use. */
    KubernetesClient client() {
        delegate();
        return client;
    }

    /** Closes the client if one was built; later calls fail instead of building a new one. */
    synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
        }
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return delegate().configMap(namespace, name);
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return delegate().secret(namespace, name);
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return delegate().service(namespace, name);
    }

    @Override
    public Optional<Deployment> deployment(String namespace, String name) {
        return delegate().deployment(namespace, name);
    }

    @Override
    public Optional<DaemonSet> daemonSet(String namespace, String name) {
        return delegate().daemonSet(namespace, name);
    }

    @Override
    public List<Node> nodes() {
        return delegate().nodes();
    }

    @Override
    public List<Pod> pods(String namespace, Map<String, String> labels) {
        return delegate().pods(namespace, labels);
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return delegate().pod(namespace, name);
    }

    @Override
    public List<GenericKubernetesResource> customResources(CustomKind kind) {
        return delegate().customResources(kind);
    }

    @Override
    public Optional<GenericKubernetesResource> customResource(CustomKind kind, String name) {
        return delegate().customResource(kind, name);
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(Class<T> kind, String namespace, String name) {
        return delegate().get(kind, namespace, name);
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels) {
        return delegate().list(kind, namespace, labels);
    }

    @Override
    public <T extends HasMetadata> T apply(T desired) {
        return delegate().apply(desired);
    }

    @Override
    public <T extends HasMetadata> boolean delete(Class<T> kind, String namespace, String name) {
        return delegate().delete(kind, namespace, name);
    }

    @Override
    public String podProxyGet(String namespace, String pod, int port, String path) {
        return delegate().podProxyGet(namespace, pod, port, path);
    }

    @Override
    public String exec(String namespace, String pod, String container, Duration timeout, String... command) {
        return delegate().exec(namespace, pod, container, timeout, command);
    }
}
