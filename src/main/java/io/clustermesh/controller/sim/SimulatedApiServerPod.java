package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clustermesh-apiserver Deployment's pod, as the ReplicaSet controller and kubelet would keep
 * it: one pod per pod template, whose containers start or crash-loop as {@link ApiServerStartup}
 * decides. A container that exits shows what kubelet shows: waiting reason CrashLoopBackOff, the
 * last termination (exit code, and the output as its message when the container asks for
 * {@code FallbackToLogsOnError}); its output is also served as the container's log. The
 * Deployment is ready only when every container runs.
 */
final class SimulatedApiServerPod {
    static final String TEMPLATE_HASH = "pod-template-hash";
    private static final String SELECTOR_KEY = "k8s-app";
    /** What the current status was computed from, so an unchanged pod is not written again. */
    private static final String STARTUP_DIGEST = "sim.clustermesh.io/startup";

    private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL_JSON = Serialization.jsonMapper()
            .copy()
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** pod → container → output, for GET …/pods/{pod}/log?container=…. */
    private final Map<String, Map<String, String>> logs = new ConcurrentHashMap<>();

    /** Reconciles the pod of {@code deployment}; returns the Deployment status that follows from it. */
    DeploymentStatus reconcile(KubernetesClient client, Deployment deployment) {
        String ns = deployment.getMetadata().getNamespace();
        String hash = templateHash(deployment);
        Pod pod = null;
        for (Pod existing : client.pods()
                .inNamespace(ns)
                .withLabel(SELECTOR_KEY, CiliumNames.APISERVER_SELECTOR_VALUE)
                .list()
                .getItems()) {
            if (hash.equals(existing.getMetadata().getLabels().get(TEMPLATE_HASH))) {
                pod = existing;
            } else {
                client.pods()
                        .inNamespace(ns)
                        .withName(existing.getMetadata().getName())
                        .delete();
                logs.remove(existing.getMetadata().getName());
            }
        }
        // One pod per template: its name and uid follow from the template, so two runs that converge to the
        // same Deployment hold the same pod (the crash-consistency comparison relies on it).
        String name = pod != null
                ? pod.getMetadata().getName()
                : CiliumNames.APISERVER + "-" + hash + "-"
                        + UUID.nameUUIDFromBytes(hash.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .toString()
                                .substring(0, 5);
        String uid = pod != null
                ? pod.getMetadata().getUid()
                : UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString();
        String nodeName = pod != null ? pod.getSpec().getNodeName() : null;
        var facts = new ApiServerStartup.PodFacts(ns, name, uid, "10.0.0.99", nodeName);
        List<ApiServerStartup.ContainerFailure> failures = ApiServerStartup.failures(
                deployment.getSpec().getTemplate().getSpec(),
                facts,
                cm -> client.configMaps().inNamespace(ns).withName(cm).get());
        String digest = Integer.toHexString(failures.hashCode());
        Map<String, String> output = new ConcurrentHashMap<>();
        failures.forEach(f -> output.put(f.container(), f.output()));
        logs.put(name, output);
        if (pod == null
                || !digest.equals(
                        pod.getMetadata().getAnnotations() == null
                                ? null
                                : pod.getMetadata().getAnnotations().get(STARTUP_DIGEST))) {
            Pod desired = pod(deployment, name, uid, hash, digest, failures);
            if (pod == null) {
                client.pods().inNamespace(ns).resource(desired).create();
            } else {
                desired.getMetadata().setResourceVersion(pod.getMetadata().getResourceVersion());
                client.pods().inNamespace(ns).resource(desired).update();
            }
        }
        return status(deployment, failures.isEmpty());
    }

    /** The Deployment is gone: so are its pods (garbage collection of the ReplicaSet's pods). */
    void removeAll(KubernetesClient client, String ns) {
        for (Pod existing : client.pods()
                .inNamespace(ns)
                .withLabel(SELECTOR_KEY, CiliumNames.APISERVER_SELECTOR_VALUE)
                .list()
                .getItems()) {
            client.pods()
                    .inNamespace(ns)
                    .withName(existing.getMetadata().getName())
                    .delete();
            logs.remove(existing.getMetadata().getName());
        }
    }

    /** Whether {@code current} already says what {@code desired} says (timestamps and extra fields aside). */
    static boolean same(DeploymentStatus desired, DeploymentStatus current) {
        return current != null
                && Objects.equals(desired.getReplicas(), current.getReplicas())
                && Objects.equals(desired.getReadyReplicas(), current.getReadyReplicas())
                && Objects.equals(desired.getAvailableReplicas(), current.getAvailableReplicas())
                && Objects.equals(desired.getUpdatedReplicas(), current.getUpdatedReplicas())
                && Objects.equals(desired.getUnavailableReplicas(), current.getUnavailableReplicas())
                && Objects.equals(desired.getObservedGeneration(), current.getObservedGeneration());
    }

    /** Whether {@code pod} is the current pod and every container in it runs (exec and metrics answer). */
    boolean runs(String pod) {
        Map<String, String> byContainer = logs.get(pod);
        return byContainer != null && byContainer.isEmpty();
    }

    /** The output of {@code container} in {@code pod}; null when there is no such pod. */
    String log(String pod, String container) {
        Map<String, String> byContainer = logs.get(pod);
        return byContainer == null ? null : byContainer.getOrDefault(container, "");
    }

    /**
     * The template's hash over canonical JSON: the API server keeps map entries in the order of the
     * last write, so hashing the stored order would roll the pod when only a status write reordered them.
     */
    private static String templateHash(Deployment deployment) {
        try {
            int hash = CANONICAL_JSON
                    .writeValueAsString(deployment.getSpec().getTemplate())
                    .hashCode();
            return HexFormat.of().toHexDigits(hash).substring(0, 8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("pod template not serializable", e);
        }
    }

    private static Pod pod(
            Deployment deployment,
            String name,
            String uid,
            String hash,
            String digest,
            List<ApiServerStartup.ContainerFailure> failures) {
        var template = deployment.getSpec().getTemplate();
        boolean initFailed = failures.stream().anyMatch(ApiServerStartup.ContainerFailure::init);
        List<ContainerStatus> initStatuses = new ArrayList<>();
        for (Container c : template.getSpec().getInitContainers() == null
                ? List.<Container>of()
                : template.getSpec().getInitContainers()) {
            initStatuses.add(containerStatus(c, failure(failures, c.getName()), true, false, name, deployment));
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        List<String> unready = new ArrayList<>();
        for (Container c : template.getSpec().getContainers()) {
            var failure = failure(failures, c.getName());
            statuses.add(containerStatus(c, failure, false, initFailed, name, deployment));
            if (failure != null || initFailed) {
                unready.add(c.getName());
            }
        }
        String now = Instant.now().toString();
        List<PodCondition> conditions = List.of(
                condition(
                        "Initialized",
                        !initFailed,
                        initFailed ? "ContainersNotInitialized" : null,
                        initFailed
                                ? "containers with incomplete status: ["
                                        + failures.get(0).container() + "]"
                                : null),
                condition(
                        "Ready",
                        unready.isEmpty(),
                        unready.isEmpty() ? null : "ContainersNotReady",
                        unready.isEmpty()
                                ? null
                                : "containers with unready status: [" + String.join(" ", unready) + "]"),
                condition(
                        "ContainersReady",
                        unready.isEmpty(),
                        unready.isEmpty() ? null : "ContainersNotReady",
                        unready.isEmpty()
                                ? null
                                : "containers with unready status: [" + String.join(" ", unready) + "]"),
                condition("PodScheduled", true, null, null));
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(deployment.getMetadata().getNamespace())
                .withUid(uid)
                .withLabels(
                        template.getMetadata() == null || template.getMetadata().getLabels() == null
                                ? Map.of()
                                : template.getMetadata().getLabels())
                .addToLabels(TEMPLATE_HASH, hash)
                .addToAnnotations(STARTUP_DIGEST, digest)
                .endMetadata()
                .withSpec(template.getSpec())
                .withNewStatus()
                .withPhase(initFailed ? "Pending" : "Running")
                .withPodIP("10.0.0.99")
                .withStartTime(now)
                .withConditions(conditions)
                .withInitContainerStatuses(initStatuses)
                .withContainerStatuses(statuses)
                .endStatus()
                .build();
    }

    private static ApiServerStartup.ContainerFailure failure(
            List<ApiServerStartup.ContainerFailure> failures, String container) {
        return failures.stream()
                .filter(f -> f.container().equals(container))
                .findFirst()
                .orElse(null);
    }

    private static ContainerStatus containerStatus(
            Container c,
            ApiServerStartup.ContainerFailure failure,
            boolean init,
            boolean initFailed,
            String pod,
            Deployment deployment) {
        var status = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage());
        if (failure != null && ApiServerStartup.CONFIG_ERROR.equals(failure.waitingReason())) {
            return status.withReady(false)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewWaiting()
                    .withReason(failure.waitingReason())
                    .withMessage(failure.output())
                    .endWaiting()
                    .endState()
                    .build();
        }
        if (failure != null) {
            // FallbackToLogsOnError: kubelet copies the tail of the log into the termination message.
            String message = "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy()) ? failure.output() : null;
            return status.withReady(false)
                    .withRestartCount(1)
                    .withNewState()
                    .withNewWaiting()
                    .withReason(ApiServerStartup.CRASH_LOOP)
                    .withMessage("back-off 10s restarting failed container=" + c.getName() + " pod=" + pod + "_"
                            + deployment.getMetadata().getNamespace())
                    .endWaiting()
                    .endState()
                    .withNewLastState()
                    .withNewTerminated()
                    .withExitCode(failure.exitCode())
                    .withReason("Error")
                    .withMessage(message)
                    .endTerminated()
                    .endLastState()
                    .build();
        }
        if (initFailed) {
            return status.withReady(false)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewWaiting()
                    .withReason("PodInitializing")
                    .endWaiting()
                    .endState()
                    .build();
        }
        if (init) {
            return status.withReady(true)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(0)
                    .withReason("Completed")
                    .endTerminated()
                    .endState()
                    .build();
        }
        return status.withReady(true)
                .withStarted(true)
                .withRestartCount(0)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .build();
    }

    private static PodCondition condition(String type, boolean ok, String reason, String message) {
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(ok ? "True" : "False")
                .withReason(reason)
                .withMessage(message)
                .build();
    }

    /** What the Deployment controller reports for one replica that is (not) ready. */
    static DeploymentStatus status(Deployment deployment, boolean ready) {
        int replicas = deployment.getSpec().getReplicas() == null
                ? 1
                : deployment.getSpec().getReplicas();
        var builder = new DeploymentStatusBuilder()
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withObservedGeneration(deployment.getMetadata().getGeneration());
        if (ready) {
            return builder.withReadyReplicas(replicas)
                    .withAvailableReplicas(replicas)
                    .build();
        }
        return builder.withUnavailableReplicas(replicas)
                .withConditions(new DeploymentConditionBuilder()
                        .withType("Available")
                        .withStatus("False")
                        .withReason("MinimumReplicasUnavailable")
                        .withMessage("Deployment does not have minimum availability.")
                        .build())
                .build();
    }
}
