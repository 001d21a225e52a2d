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
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The one implementation of {@link ClusterGateway}, over a fabric8 client. */
final class Fabric8ClusterGateway implements ClusterGateway {

    private final String clusterName;
    private final KubernetesClient client;
    /** Told of every write and of whether the cluster answers, so cached reads stay honest; may be null. */
    private final ClusterWatches watches;
    /** Clients derived for shorter timeouts, by timeout; they share the client's connections. */
    private final Map<Duration, KubernetesClient> boundedClients = new java.util.concurrent.ConcurrentHashMap<>();

    Fabric8ClusterGateway(String clusterName, KubernetesClient client, ClusterWatches watches) {
        this.clusterName = clusterName;
        this.client = client;
        this.watches = watches;
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return call(() -> Optional.ofNullable(
                client.configMaps().inNamespace(namespace).withName(name).get()));
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return call(() -> Optional.ofNullable(
                client.secrets().inNamespace(namespace).withName(name).get()));
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return call(() -> Optional.ofNullable(
                client.services().inNamespace(namespace).withName(name).get()));
    }

    @Override
    public Optional<Deployment> deployment(String namespace, String name) {
        return call(() -> Optional.ofNullable(client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .get()));
    }

    @Override
    public Optional<DaemonSet> daemonSet(String namespace, String name) {
        return call(() -> Optional.ofNullable(
                client.apps().daemonSets().inNamespace(namespace).withName(name).get()));
    }

    @Override
    public List<Node> nodes() {
        return call(() -> client.nodes().list().getItems());
    }

    @Override
    public List<Pod> pods(String namespace, Map<String, String> labels) {
        return call(() ->
                client.pods().inNamespace(namespace).withLabels(labels).list().getItems());
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return call(() -> Optional.ofNullable(
                client.pods().inNamespace(namespace).withName(name).get()));
    }

    @Override
    public List<GenericKubernetesResource> customResources(CustomKind kind) {
        return call(
                () -> client.genericKubernetesResources(kind.context()).list().getItems());
    }

    @Override
    public Optional<GenericKubernetesResource> customResource(CustomKind kind, String name) {
        return call(() -> Optional.ofNullable(
                client.genericKubernetesResources(kind.context()).withName(name).get()));
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(Class<T> kind, String namespace, String name) {
        return call(() -> {
            var resources = client.resources(kind);
            var scoped = namespace == null
                    ? resources.withName(name)
                    : resources.inNamespace(namespace).withName(name);
            return Optional.ofNullable(scoped.get());
        });
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels) {
        return call(() -> {
            var resources = client.resources(kind);
            var scoped = namespace == null ? resources : resources.inNamespace(namespace);
            return scoped.withLabels(labels).list().getItems();
        });
    }

    private static final int STATUS_ONLY_RETRIES = 3;

    @Override
    public <T extends HasMetadata> T apply(T desired) {
        T applied = call(() -> {
            if (desired.getMetadata().getResourceVersion() == null) {
                return client.resource(desired).create();
            }
            // update() sends the resourceVersion we read: the API server refuses it with 409 if
            // somebody else wrote in between, which is exactly the guard we want.
            for (int attempt = 1; ; attempt++) {
                try {
                    return client.resource(desired).update();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 || attempt == STATUS_ONLY_RETRIES || !onlyStatusChangedSince(desired)) {
                        throw e;
                    }
                }
            }
        });
        if (watches != null) {
            watches.written(applied);
        }
        return applied;
    }

    /**
     * A controller writing an object's status (a Deployment rolling out) also moves its
     * resourceVersion, but not its generation, which counts spec changes only: such a write does
     * not touch what we are about to change, so we may retry on top of it.
     */
    private <T extends HasMetadata> boolean onlyStatusChangedSince(T desired) {
        Long generation = desired.getMetadata().getGeneration();
        // Only kinds whose status a controller keeps writing; for the others any 409 is a real conflict.
        if (generation == null || !(desired instanceof Deployment || desired instanceof Service)) {
            return false;
        }
        HasMetadata live = client.resource(desired).get();
        if (live == null || !generation.equals(live.getMetadata().getGeneration())) {
            return false;
        }
        desired.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        return true;
    }

    @Override
    public <T extends HasMetadata> boolean delete(Class<T> kind, String namespace, String name) {
        boolean deleted = call(() -> {
            var resources = client.resources(kind);
            var scoped = namespace == null
                    ? resources.withName(name)
                    : resources.inNamespace(namespace).withName(name);
            return !scoped.delete().isEmpty();
        });
        if (deleted && watches != null) {
            watches.deleted(HasMetadata.getKind(kind), namespace, name);
        }
        return deleted;
    }

    @Override
    public String podProxyGet(String namespace, String pod, int port, String path) {
        String relative =
                "api/v1/namespaces/" + namespace + "/pods/" + pod + ":" + port + "/proxy/" + stripLeadingSlash(path);
        return call(() -> client.raw(client.getMasterUrl().toString().replaceAll("/$", "") + "/" + relative));
    }

    @Override
    public String exec(String namespace, String pod, String container, Duration timeout, String... command) {
        return call(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (ExecWatch watch = open(namespace, pod, container, timeout, out, err, command)) {
                Integer exit = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (exit != null && exit != 0) {
                    throw new CommandExited(
                            "exec in " + clusterName + "/" + namespace + "/" + pod + " exited " + exit, exit);
                }
                return out.toString();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new ProblemException(
                        ProblemType.CLUSTER_UNREACHABLE,
                        "exec in " + clusterName + "/" + pod + " timed out after " + timeout.toSeconds() + "s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProblemException(
                        ProblemType.CLUSTER_UNREACHABLE, "exec in " + clusterName + "/" + pod + " interrupted");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new ProblemException(
                        ProblemType.CLUSTER_UNREACHABLE, "exec in " + clusterName + "/" + pod + " failed");
            }
        });
    }

    /**
     * Opens the exec's WebSocket within the exec's own timeout, not the client's request timeout:
     * fabric8's Vert.x client never completes an upgrade whose socket the server closed before the
     * client installed its handlers (a command that finished at once), and the caller would wait the
     * whole request timeout for an answer that already came and went. A socket that did not open is
     * "no answer", which says nothing about the API server itself: cached reads stay trusted.
     */
    private ExecWatch open(
            String namespace,
            String pod,
            String container,
            Duration timeout,
            ByteArrayOutputStream out,
            ByteArrayOutputStream err,
            String... command) {
        try {
            return clientWithin(timeout)
                    .pods()
                    .inNamespace(namespace)
                    .withName(pod)
                    .inContainer(container)
                    .writingOutput(out)
                    .writingError(err)
                    .exec(command);
        } catch (RuntimeException e) {
            if (e instanceof KubernetesClientException k && k.getCode() > 0) {
                throw e; // the API server's own answer (403, 404, ...): translated as every call's is
            }
            if (e instanceof KubernetesClientException k && k.getCause() == null) {
                // fabric8 itself refused, from the pod it read (no such container): an answer, and
                // asking again would get the same one.
                throw new ProblemException(
                        ProblemType.CONFLICT, "exec in " + clusterName + "/" + pod + " refused: " + k.getMessage());
            }
            // Which of two timers fires first decides between a timeout and a handshake cut short.
            String cause = rootCauseName(e);
            throw new ProblemException(
                    ProblemType.CLUSTER_UNREACHABLE,
                    "exec in " + clusterName + "/" + pod + " got no answer: its WebSocket did not open"
                            + (cause.contains("Timeout") || cause.contains("Handshake")
                                    ? " within " + timeout.toMillis() + " ms"
                                    : " (" + cause + ")"));
        }
    }

    /** The client, or one derived from it (sharing its connections) whose requests give up after {@code timeout}. */
    private KubernetesClient clientWithin(Duration timeout) {
        Integer configured = client.getConfiguration().getRequestTimeout();
        if (configured != null && configured > 0 && timeout.toMillis() >= configured) {
            return client;
        }
        return boundedClients.computeIfAbsent(
                timeout,
                t -> client.newClient(new RequestConfigBuilder(
                                        client.getConfiguration().getRequestConfig())
                                .withRequestTimeout((int) t.toMillis())
                                .build())
                        .adapt(KubernetesClient.class));
    }

    private static String stripLeadingSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private <R> R call(java.util.function.Supplier<R> request) {
        try {
            R result = request.get();
            if (watches != null) {
                watches.answered();
            }
            return result;
        } catch (KubernetesClientException e) {
            if (watches != null && (e.getCode() <= 0 || e.getCode() == 503 || e.getCode() == 504)) {
                watches.unanswered();
            }
            throw translate(e);
        }
    }

    /** fabric8 messages can echo request bodies (Secrets): keep only the status and reason. */
    private ProblemException translate(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 409) {
            return new ProblemException(
                    ProblemType.CONFLICT,
                    "cluster " + clusterName
                            + ": the object was changed by someone else meanwhile; re-run to converge");
        }
        if (code <= 0 && rootCauseName(e).contains("Timeout")) {
            return new ProblemException(
                    ProblemType.CLUSTER_UNREACHABLE,
                    "cluster " + clusterName
                            + ": Kubernetes API call timed out (mesh.client.request-timeout); whether it was applied is unknown, re-run to converge");
        }
        String reason = e.getStatus() != null && e.getStatus().getReason() != null
                ? e.getStatus().getReason()
                : "";
        String detail = code > 0 ? "HTTP " + code + (reason.isEmpty() ? "" : " " + reason) : rootCauseName(e);
        return new ProblemException(
                ProblemType.CLUSTER_UNREACHABLE,
                "cluster " + clusterName + ": Kubernetes API call failed (" + detail + ")");
    }

    private static String rootCauseName(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
