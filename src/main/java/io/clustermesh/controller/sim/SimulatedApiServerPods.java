package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clustermesh-apiserver's pods, as the ReplicaSet controller would keep them: one per ready
 * replica of the current pod template, gone with the Deployment. The service execs into their
 * {@code kvstoremesh} container for KVStoreMesh's own status, so they have to exist.
 */
final class SimulatedApiServerPods {
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /** Pods that answer exec now. */
    boolean runs(String pod) {
        return running.contains(pod);
    }

    /** @param node where the ReplicaSet's pods are scheduled */
    void reconcile(KubernetesClient client, String node) {
        String ns = CiliumNames.DEFAULT_NAMESPACE;
        Map<String, String> selector = Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.APISERVER_SELECTOR_VALUE);
        try {
            Deployment d = client.apps().deployments().inNamespace(ns).withName(CiliumNames.APISERVER).get();
            int ready = d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
            // A new template generation replaces the pods, as a rollout does.
            String prefix = CiliumNames.APISERVER + "-g" + (d == null ? 0 : d.getMetadata().getGeneration()) + "-";
            List<Pod> pods = client.pods().inNamespace(ns).withLabels(selector).list().getItems();
            // A rolling update: the old pods go only once the new ones exist (surge), as a Deployment does.
            boolean newOnesUp = d == null || java.util.stream.IntStream.range(0, ready)
                    .allMatch(i -> pods.stream().anyMatch(p -> p.getMetadata().getName().equals(prefix + i)));
            for (Pod pod : pods) {
                String name = pod.getMetadata().getName();
                int index = indexOf(name, prefix);
                if ((index < 0 && newOnesUp) || index >= ready) {
                    running.remove(name);
                    client.pods().inNamespace(ns).withName(name).delete();
                }
            }
            for (int i = 0; i < ready; i++) {
                String name = prefix + i;
                if (pods.stream().noneMatch(p -> p.getMetadata().getName().equals(name))) {
                    try {
                        client.pods().inNamespace(ns).resource(pod(d, name, selector, node)).create();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) {
                            throw e;
                        }
                    }
                }
                running.add(name);
            }
            running.removeIf(n -> indexOf(n, prefix) >= ready || (indexOf(n, prefix) < 0 && newOnesUp));
        } catch (RuntimeException e) {
            // The next round tries again.
        }
    }

    private static int indexOf(String name, String prefix) {
        if (!name.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Pod pod(Deployment d, String name, Map<String, String> labels, String node) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers().stream()
                .map(c -> new ContainerBuilder().withName(c.getName()).withImage(c.getImage()).build()).toList();
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(d.getMetadata().getNamespace()).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).withContainers(containers).endSpec()
                .withNewStatus().withPhase("Running").withStartTime(Instant.now().toString())
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus()
                .build();
    }
}
