package io.clustermesh.controller.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.reachability.ProbeOutcome;
import io.clustermesh.controller.reachability.RemoteProbePods;
import io.clustermesh.controller.reachability.SimulatedNetworkOracle;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * The kubelet and container of a simulated cluster for remote-side probe Pods: it "runs" the
 * probe by asking the simulated network what a dial from this cluster to the Pod's target meets,
 * and terminates the container with the probe's JSON as its termination message, as the real
 * probe command would. Results are marked simulated in every check.
 */
final class SimulatedProbePods {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SimulatedReachability NETWORK = new SimulatedReachability();

    private SimulatedProbePods() {}

    static void run(KubernetesClient client) {
        List<Pod> pods = client.pods()
                .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                .withLabel(RemoteProbePods.COMPONENT_LABEL, RemoteProbePods.COMPONENT)
                .list()
                .getItems();
        for (Pod pod : pods) {
            if (pod.getStatus() != null
                    && pod.getStatus().getContainerStatuses() != null
                    && !pod.getStatus().getContainerStatuses().isEmpty()) {
                continue;
            }
            ProbeOutcome outcome =
                    outcomeFor(pod.getSpec().getContainers().get(0).getArgs());
            String message = toJson(outcome);
            client.pods()
                    .inNamespace(CiliumNames.DEFAULT_NAMESPACE)
                    .withName(pod.getMetadata().getName())
                    .editStatus(current -> {
                        current.setStatus(new PodStatusBuilder()
                                .withPhase(outcome.ok() ? "Succeeded" : "Failed")
                                .withContainerStatuses(new ContainerStatusBuilder()
                                        .withName("probe")
                                        .withState(new ContainerStateBuilder()
                                                .withNewTerminated()
                                                .withExitCode(outcome.ok() ? 0 : 1)
                                                .withReason(outcome.ok() ? "Completed" : "Error")
                                                .withMessage(message)
                                                .endTerminated()
                                                .build())
                                        .build())
                                .build());
                        return current;
                    });
        }
    }

    private static ProbeOutcome outcomeFor(List<String> args) {
        String host = argument(args, "--host").orElse("");
        int port = argument(args, "--port").map(Integer::parseInt).orElse(0);
        String expected = argument(args, "--cluster-name").orElse("");
        return SimulatedNetworkOracle.outcome(NETWORK.dial(host, port), host, port, expected);
    }

    private static Optional<String> argument(List<String> args, String name) {
        int i = args == null ? -1 : args.indexOf(name);
        return i < 0 || i + 1 >= args.size() ? Optional.empty() : Optional.of(args.get(i + 1));
    }

    private static String toJson(ProbeOutcome outcome) {
        try {
            return JSON.writeValueAsString(outcome);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
