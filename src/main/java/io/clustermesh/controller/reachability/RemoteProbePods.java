package io.clustermesh.controller.reachability;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Probes from the remote side: a short-lived Pod in the dialling cluster runs {@link ProbeCommand}
 * against the other cluster's endpoint, with the client certificate that cluster already holds,
 * and reports through its termination message. The Pod is bounded by {@code activeDeadlineSeconds}
 * and by our own wait, runs unprivileged on a read-only root filesystem, and is deleted whatever
 * happens.
 */
@ApplicationScoped
public class RemoteProbePods {
    private static final Logger LOG = Logger.getLogger(RemoteProbePods.class);
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    public static final String COMPONENT = "reachability-probe";
    static final String MANAGED_BY_LABEL = MeshLabels.MANAGED_BY_KEY;
    static final String MANAGED_BY = "clustermesh-controller";
    static final String TLS_DIR = "/etc/clustermesh-probe";
    static final long RUN_AS_USER = 10001L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReachabilityConfig config;
    private final String namespace;
    private final String ciliumNamespace;
    private final Duration pollInterval;

    @Inject
    RemoteProbePods(ReachabilityConfig config, MeshConfig meshConfig) {
        this(config, meshConfig.namespace(), Duration.ofMillis(250));
    }

    RemoteProbePods(ReachabilityConfig config, String ciliumNamespace, Duration pollInterval) {
        this.config = config;
        this.ciliumNamespace = ciliumNamespace;
        this.namespace = config.probeNamespace().orElse(ciliumNamespace);
        this.pollInterval = pollInterval;
    }

    /** Runs one probe Pod in {@code from} against {@code to}; never throws for what the Pod meets. */
    ProbeOutcome probe(ManagedCluster from, ProbeTarget to) {
        return probe(from.name(), from.gateway(), to);
    }

    ProbeOutcome probe(String fromName, ClusterGateway gateway, ProbeTarget to) {
        if (to.problem() != null) {
            return new ProbeOutcome(ProbeVerdict.NO_ENDPOINT, null, to.problem(), List.of());
        }
        Optional<Credentials> credentials = credentials(gateway, to.clusterName());
        if (credentials.isEmpty()) {
            return new ProbeOutcome(
                    ProbeVerdict.FAILED,
                    null,
                    fromName + " holds no client certificate for " + to.cluster() + ": enable ClusterMesh on "
                            + fromName + " (and connect when the CAs differ)",
                    List.of());
        }
        Pod pod = podFor(fromName, to, credentials.get());
        String name = pod.getMetadata().getName();
        try {
            gateway.apply(pod);
            LOG.infof(
                    "probe pod %s/%s started in %s for %s at %s",
                    namespace, name, fromName, to.cluster(), to.endpointText());
            return await(gateway, name);
        } catch (RuntimeException e) {
            return new ProbeOutcome(
                    ProbeVerdict.FAILED, null, "probe Pod in " + fromName + " failed: " + e.getMessage(), List.of());
        } finally {
            deleteQuietly(gateway, name, fromName);
        }
    }

    private ProbeOutcome await(ClusterGateway gateway, String name) {
        long deadline =
                System.nanoTime() + config.probeDeadline().plusSeconds(5).toNanos();
        String lastPhase = "not yet scheduled";
        while (System.nanoTime() < deadline) {
            Optional<Pod> current = gateway.pod(namespace, name);
            if (current.isEmpty()) {
                return new ProbeOutcome(
                        ProbeVerdict.FAILED, null, "probe Pod " + name + " disappeared before it reported", List.of());
            }
            Pod pod = current.get();
            Optional<ContainerStateTerminated> terminated = terminated(pod);
            if (terminated.isPresent()) {
                return ProbeCommand.fromJson(terminated.get().getMessage());
            }
            if (pod.getStatus() != null && pod.getStatus().getPhase() != null) {
                lastPhase = pod.getStatus().getPhase()
                        + waitingReason(pod).map(r -> " (" + r + ")").orElse("");
                if ("Failed".equals(pod.getStatus().getPhase())) {
                    String reason = pod.getStatus().getReason();
                    return new ProbeOutcome(
                            ProbeVerdict.FAILED,
                            null,
                            "probe Pod failed" + (reason == null ? "" : ": " + reason),
                            List.of());
                }
            }
            sleep(pollInterval);
        }
        return new ProbeOutcome(
                ProbeVerdict.TIMEOUT,
                null,
                "probe Pod " + name + " did not report within "
                        + config.probeDeadline().plusSeconds(5).toSeconds() + " s; last state " + lastPhase,
                List.of());
    }

    /** Where the Pod gets its client certificate: the per-remote files of cilium-kvstoremesh, else the shared-CA remote cert. */
    record Credentials(String secretName, String caKey, String certKey, String keyKey) {}

    private Optional<Credentials> credentials(ClusterGateway gateway, String remoteClusterName) {
        List<String> keys = ClusterMeshSecretEntries.entryKeysFor(remoteClusterName, false);
        Optional<Secret> kvstoremesh = gateway.secret(ciliumNamespace, CiliumNames.KVSTOREMESH_SECRET);
        if (kvstoremesh
                .map(Secret::getData)
                .filter(d -> d.keySet().containsAll(keys.subList(1, 4)))
                .isPresent()) {
            return Optional.of(new Credentials(CiliumNames.KVSTOREMESH_SECRET, keys.get(1), keys.get(2), keys.get(3)));
        }
        if (gateway.secret(ciliumNamespace, CiliumNames.REMOTE_CERT_SECRET).isPresent()) {
            return Optional.of(new Credentials(
                    CiliumNames.REMOTE_CERT_SECRET, CiliumNames.CA_CRT, CiliumNames.TLS_CRT, CiliumNames.TLS_KEY));
        }
        return Optional.empty();
    }

    Pod podFor(String from, ProbeTarget to, Credentials credentials) {
        String name = podName(from, to.cluster());
        List<String> command = new ArrayList<>(config.probeCommand());
        List<String> args = ProbeCommand.arguments(to, TLS_DIR, config.probeTimeout(), ProbeCommand.TERMINATION_LOG);
        long deadlineSeconds = Math.max(1, config.probeDeadline().toSeconds());
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(Map.of(MANAGED_BY_LABEL, MANAGED_BY, COMPONENT_LABEL, COMPONENT))
                .withAnnotations(Map.of("clustermesh-controller.io/probe", from + "->" + to.cluster()))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(deadlineSeconds)
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName("probe")
                .withImage(config.probeImage())
                .withImagePullPolicy("IfNotPresent")
                .withCommand(command)
                .withArgs(args)
                .addNewEnv()
                .withName("JAVA_TOOL_OPTIONS")
                .withValue("-XX:-UsePerfData -XX:MaxRAMPercentage=60")
                .endEnv()
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi")))
                .withLimits(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("128Mi")))
                .endResources()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withPrivileged(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .withTerminationMessagePath(ProbeCommand.TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .addNewVolumeMount()
                .withName("tls")
                .withMountPath(TLS_DIR)
                .withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/tmp")
                .endVolumeMount()
                .endContainer()
                .addNewVolume()
                .withName("tls")
                .withNewSecret()
                .withSecretName(credentials.secretName())
                .withDefaultMode(0440)
                .withItems(
                        new KeyToPath(credentials.caKey(), null, "ca.crt"),
                        new KeyToPath(credentials.certKey(), null, "tls.crt"),
                        new KeyToPath(credentials.keyKey(), null, "tls.key"))
                .endSecret()
                .endVolume()
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity("16Mi"))
                .endEmptyDir()
                .endVolume()
                .endSpec()
                .build();
    }

    static String podName(String from, String to) {
        String base = "cm-probe-" + from + "-" + to;
        if (base.length() > 50) {
            base = base.substring(0, 50);
        }
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return (base.endsWith("-") ? base : base + "-") + HexFormat.of().formatHex(suffix);
    }

    private static Optional<ContainerStateTerminated> terminated(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated())
                .findFirst();
    }

    private static Optional<String> waitingReason(Pod pod) {
        if (pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getWaiting() != null)
                .map(s -> s.getWaiting().getReason())
                .findFirst();
    }

    /** A few tries: a Pod left behind would sit in the cluster (its deadline stops it, not its object). */
    private void deleteQuietly(ClusterGateway gateway, String name, String cluster) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                gateway.delete(Pod.class, namespace, name);
                return;
            } catch (RuntimeException e) {
                LOG.warnf(
                        "probe pod %s/%s in %s could not be deleted (attempt %d): %s",
                        namespace, name, cluster, attempt, e.getMessage());
            }
        }
    }

    private static void sleep(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the probe Pod");
        }
    }
}
