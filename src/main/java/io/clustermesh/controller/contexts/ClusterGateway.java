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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every Kubernetes call the service makes against one managed cluster. Keeping the list short
 * keeps the API cost measurable and the fault tests honest.
 */
public interface ClusterGateway {

    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);

    Optional<Service> service(String namespace, String name);

    Optional<Deployment> deployment(String namespace, String name);

    Optional<DaemonSet> daemonSet(String namespace, String name);

    List<Node> nodes();

    List<Pod> pods(String namespace, Map<String, String> labels);

    Optional<Pod> pod(String namespace, String name);

    /** Every object of a cluster-scoped custom kind. */
    List<GenericKubernetesResource> customResources(CustomKind kind);

    Optional<GenericKubernetesResource> customResource(CustomKind kind, String name);

    /**
     * One object of any kind by name (namespace null: cluster-scoped). RBAC can limit get to
     * resourceNames but never list, so objects we know by name are read this way.
     */
    <T extends HasMetadata> Optional<T> get(Class<T> kind, String namespace, String name);

    /** Objects of any kind matching the labels, for cleanup of what we created. */
    <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels);

    /**
     * Creates the object when it has no resourceVersion, otherwise replaces it only if the
     * cluster still holds that resourceVersion (a concurrent writer makes this fail with a
     * conflict problem instead of being overwritten). The one exception: a Deployment or Service
     * that carries the generation it was read at, when the cluster still has that generation: only
     * its status moved (a controller at work), and the write is retried on top of it.
     */
    <T extends HasMetadata> T apply(T desired);

    /** Deletes if present; true when something was deleted. */
    <T extends HasMetadata> boolean delete(Class<T> kind, String namespace, String name);

    /** GET through the API server's pod proxy ({@code /api/v1/namespaces/NS/pods/POD:PORT/proxy/PATH}). */
    String podProxyGet(String namespace, String pod, int port, String path);

    /** Runs a command in a container and returns its stdout; fails when it exits non-zero. */
    String exec(String namespace, String pod, String container, Duration timeout, String... command);

    /**
     * {@link #exec}, asked once more when it got no answer (its WebSocket did not open, or closed
     * before the exit status came: seen with fabric8's Vert.x client under load), but never when the
     * command answered with a non-zero exit. Only for commands that are safe to run twice: reads,
     * and plan steps, which are idempotent by contract. An interrupted caller is not asked again.
     */
    default String execSafeToRepeat(
            String namespace, String pod, String container, Duration timeout, String... command) {
        try {
            return exec(namespace, pod, container, timeout, command);
        } catch (CommandExited e) {
            throw e;
        } catch (ProblemException e) {
            if (e.type() != ProblemType.CLUSTER_UNREACHABLE
                    || Thread.currentThread().isInterrupted()) {
                throw e;
            }
            org.jboss.logging.Logger.getLogger(ClusterGateway.class)
                    .infof("exec in %s got no answer (%s); asking once more", pod, e.getMessage());
            return exec(namespace, pod, container, timeout, command);
        }
    }
}
