package io.clustermesh.controller.support;

import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** A Cilium agent pod as a test needs it: on a node, Ready or not. */
public final class AgentPods {
    private AgentPods() {}

    public static Pod agent(String node, boolean ready) {
        return agent(node, "cilium-" + node, null, ready);
    }

    public static Pod agent(String node, String name, String uid, boolean ready) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withUid(uid)
                .withNamespace(CiliumNames.DEFAULT_NAMESPACE)
                .addToLabels(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build();
    }
}
