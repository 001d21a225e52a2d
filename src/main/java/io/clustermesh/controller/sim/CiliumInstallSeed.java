package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Seeds a simulated cluster with what a Helm-installed Cilium 1.18 leaves behind (contract §1, §2,
 * §10): the cilium-config ConfigMap, the agent DaemonSet and its pods, Nodes and CiliumNodes
 * carrying WireGuard public keys. The objects carry Helm's ownership labels, as real installs do.
 */
final class CiliumInstallSeed {
    static final ResourceDefinitionContext CILIUM_NODES = new ResourceDefinitionContext.Builder()
            .withGroup("cilium.io")
            .withVersion("v2")
            .withKind("CiliumNode")
            .withPlural("ciliumnodes")
            .withNamespaced(false)
            .build();

    private CiliumInstallSeed() {}

    static void seed(KubernetesClient client, SimulatedClusterSpec spec, Map<String, String> wireguardPublicKeys) {
        String ns = CiliumNames.DEFAULT_NAMESPACE;
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
        client.configMaps()
                .inNamespace(ns)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(CiliumNames.CONFIG_MAP)
                        .withNamespace(ns)
                        .withLabels(helmLabels())
                        .withAnnotations(helmAnnotations())
                        .endMetadata()
                        .withData(ciliumConfig(spec))
                        .build())
                .create();
        client.apps()
                .daemonSets()
                .inNamespace(ns)
                .resource(new DaemonSetBuilder()
                        .withNewMetadata()
                        .withName(CiliumNames.AGENT_DAEMONSET)
                        .withNamespace(ns)
                        .withLabels(helmLabels())
                        .withAnnotations(helmAnnotations())
                        .endMetadata()
                        .withNewSpec()
                        .withNewSelector()
                        .addToMatchLabels(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName(CiliumNames.AGENT_CONTAINER)
                        .withImage(CiliumNames.AGENT_IMAGE_REPO + ":v" + spec.ciliumVersion())
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .withNewStatus()
                        .withDesiredNumberScheduled(spec.nodes().size())
                        .withNumberReady(spec.nodes().size())
                        .withNumberAvailable(spec.nodes().size())
                        .withUpdatedNumberScheduled(spec.nodes().size())
                        .endStatus()
                        .build())
                .create();
        for (SimulatedClusterSpec.SimulatedNode node : spec.nodes()) {
            client.nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(node.name())
                            .addToLabels("kubernetes.io/hostname", node.name())
                            .addToLabels("kubernetes.io/os", "linux")
                            .endMetadata()
                            .withNewStatus()
                            .withAddresses(addresses(node))
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .endCondition()
                            .endStatus()
                            .build())
                    .create();
            client.pods().inNamespace(ns).resource(agentPod(spec, node, ns)).create();
            client.genericKubernetesResources(CILIUM_NODES)
                    .resource(ciliumNode(node, wireguardPublicKeys.get(node.name())))
                    .create();
        }
    }

    static Pod agentPod(SimulatedClusterSpec spec, SimulatedClusterSpec.SimulatedNode node, String ns) {
        String suffix = UUID.randomUUID().toString().substring(0, 5);
        return new PodBuilder()
                .withNewMetadata()
                .withName("cilium-" + suffix)
                .withNamespace(ns)
                .addToLabels(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                .addToLabels("app.kubernetes.io/name", "cilium-agent")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node.name())
                .withHostNetwork(true)
                .addNewContainer()
                .withName(CiliumNames.AGENT_CONTAINER)
                .withImage(CiliumNames.AGENT_IMAGE_REPO + ":v" + spec.ciliumVersion())
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP(node.internalIp())
                .withStartTime(Instant.now().toString())
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewContainerStatus()
                .withName(CiliumNames.AGENT_CONTAINER)
                .withReady(true)
                .withRestartCount(0)
                .endContainerStatus()
                .endStatus()
                .build();
    }

    static GenericKubernetesResource ciliumNode(SimulatedClusterSpec.SimulatedNode node, String wireguardPublicKey) {
        Map<String, Object> spec = new LinkedHashMap<>();
        List<Map<String, String>> addresses = new ArrayList<>();
        addresses.add(Map.of("ip", node.internalIp(), "type", "InternalIP"));
        if (node.externalIp() != null) {
            addresses.add(Map.of("ip", node.externalIp(), "type", "ExternalIP"));
        }
        spec.put("addresses", addresses);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("cilium.io/v2")
                .withKind("CiliumNode")
                .withNewMetadata()
                .withName(node.name())
                .addToAnnotations(CiliumNames.WG_PUBKEY_ANNOTATION, wireguardPublicKey)
                .addToLabels("kubernetes.io/hostname", node.name())
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    private static List<NodeAddress> addresses(SimulatedClusterSpec.SimulatedNode node) {
        List<NodeAddress> addresses = new ArrayList<>();
        addresses.add(new NodeAddress(node.internalIp(), "InternalIP"));
        if (node.externalIp() != null) {
            addresses.add(new NodeAddress(node.externalIp(), "ExternalIP"));
        }
        addresses.add(new NodeAddress(node.name(), "Hostname"));
        return addresses;
    }

    private static Map<String, String> ciliumConfig(SimulatedClusterSpec spec) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CiliumNames.KEY_CLUSTER_NAME, spec.name());
        data.put(CiliumNames.KEY_CLUSTER_ID, Integer.toString(spec.clusterId()));
        data.put(CiliumNames.KEY_MAX_CONNECTED_CLUSTERS, "255");
        data.put(CiliumNames.KEY_IDENTITY_ALLOCATION_MODE, "crd");
        data.put(CiliumNames.KEY_ROUTING_MODE, "tunnel");
        data.put(CiliumNames.KEY_TUNNEL_PROTOCOL, "vxlan");
        data.put("enable-ipv4", "true");
        data.put("enable-ipv6", "false");
        data.put("ipam", "cluster-pool");
        data.put(CiliumNames.KEY_POD_CIDR_V4, spec.podCidr());
        data.put("cluster-pool-ipv4-mask-size", "24");
        data.put(CiliumNames.KEY_ENABLE_WIREGUARD, "true");
        data.put("wireguard-persistent-keepalive", "0s");
        if (spec.agentMetrics()) {
            data.put(CiliumNames.KEY_PROMETHEUS_SERVE_ADDR, ":" + CiliumNames.AGENT_METRICS_PORT);
        }
        return data;
    }

    private static Map<String, String> helmLabels() {
        return Map.of(CiliumNames.HELM_MANAGED_BY_LABEL, CiliumNames.HELM_MANAGED_BY_VALUE);
    }

    private static Map<String, String> helmAnnotations() {
        return Map.of(
                CiliumNames.HELM_RELEASE_ANNOTATION,
                "cilium",
                "meta.helm.sh/release-namespace",
                CiliumNames.DEFAULT_NAMESPACE);
    }
}
