package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated cluster's ClusterMesh-relevant state, refreshed by its control loop so that agent
 * scrapes and dials between clusters cost no API calls.
 */
record SimulatedClusterView(
        String clusterName,
        boolean apiserverReady,
        Map<String, List<String>> hostAliases,
        Map<String, String> kvstoremesh,
        Map<String, String> clustermesh,
        Map<String, String> remoteCert,
        Map<String, String> serverCert,
        String serviceType,
        Integer nodePort,
        List<String> loadBalancerIps,
        Map<String, String> agentNodes,
        boolean kvstoremeshEnabled,
        boolean wireguard,
        Map<String, String> tailnetEgress) {

    static final SimulatedClusterView EMPTY = new SimulatedClusterView(
            null, false, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null, null, List.of(), Map.of(), false,
            false, Map.of());

    static SimulatedClusterView read(KubernetesClient client) {
        String ns = CiliumNames.DEFAULT_NAMESPACE;
        var config = client.configMaps()
                .inNamespace(ns)
                .withName(CiliumNames.CONFIG_MAP)
                .get();
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName(CiliumNames.APISERVER)
                .get();
        Map<String, List<String>> aliases = new HashMap<>();
        boolean ready = false;
        boolean kvstoremesh = false;
        if (deployment != null) {
            // cilium-cli's rule (contract §7.1 step 4): KVStoreMesh is on when the Deployment has its container.
            kvstoremesh = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                    .anyMatch(c -> CiliumNames.KVSTOREMESH_CONTAINER.equals(c.getName()));
            var status = deployment.getStatus();
            ready = status != null && status.getReadyReplicas() != null && status.getReadyReplicas() > 0;
            var hostAliases = deployment.getSpec().getTemplate().getSpec().getHostAliases();
            if (hostAliases != null) {
                hostAliases.forEach(a -> a.getHostnames()
                        .forEach(h -> aliases.computeIfAbsent(h, k -> new java.util.ArrayList<>())
                                .add(a.getIp())));
            }
        }
        Service service = client.services()
                .inNamespace(ns)
                .withName(CiliumNames.APISERVER)
                .get();
        String type = service == null ? null : service.getSpec().getType();
        Integer nodePort = service == null || service.getSpec().getPorts().isEmpty()
                ? null
                : service.getSpec().getPorts().get(0).getNodePort();
        List<String> lbIps = service == null
                        || service.getStatus() == null
                        || service.getStatus().getLoadBalancer() == null
                        || service.getStatus().getLoadBalancer().getIngress() == null
                ? List.of()
                : service.getStatus().getLoadBalancer().getIngress().stream()
                        .map(i -> i.getIp())
                        .toList();
        return new SimulatedClusterView(
                config == null ? null : config.getData().get(CiliumNames.KEY_CLUSTER_NAME),
                ready,
                aliases,
                decoded(client.secrets()
                        .inNamespace(ns)
                        .withName(CiliumNames.KVSTOREMESH_SECRET)
                        .get()),
                decoded(client.secrets()
                        .inNamespace(ns)
                        .withName(CiliumNames.CLUSTERMESH_SECRET)
                        .get()),
                decoded(client.secrets()
                        .inNamespace(ns)
                        .withName(CiliumNames.REMOTE_CERT_SECRET)
                        .get()),
                decoded(client.secrets()
                        .inNamespace(ns)
                        .withName(CiliumNames.SERVER_CERT_SECRET)
                        .get()),
                type,
                nodePort,
                lbIps,
                agentNodes(client, ns),
                kvstoremesh,
                config != null && "true".equals(config.getData().get(CiliumNames.KEY_ENABLE_WIREGUARD)),
                tailnetEgress(client));
    }

    /**
     * {@code <service>.<namespace>.svc} → tailnet target of every egress Service whose proxy the
     * simulated Tailscale operator has made ready: the only way a pod reaches a tailnet address.
     */
    private static Map<String, String> tailnetEgress(KubernetesClient client) {
        Map<String, String> egress = new HashMap<>();
        for (Service s : client.services().inAnyNamespace().list().getItems()) {
            if (!io.clustermesh.controller.tailscale.TailscaleExposure.isEgress(s)
                    || !io.clustermesh.controller.tailscale.TailscaleExposure.proxyReady(s)
                            .map(c -> "True".equals(c.getStatus()))
                            .orElse(false)) {
                continue;
            }
            var annotations = s.getMetadata().getAnnotations();
            String target = annotations.getOrDefault(
                    io.clustermesh.controller.tailscale.TailscaleExposure.TAILNET_IP_ANNOTATION,
                    annotations.get(io.clustermesh.controller.tailscale.TailscaleExposure.TAILNET_FQDN_ANNOTATION));
            egress.put(s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ".svc", target);
        }
        return egress;
    }

    /** Agent pod name → node name, so pod-proxy scrapes need no API call (they run on the server's event loop). */
    private static Map<String, String> agentNodes(KubernetesClient client, String ns) {
        Map<String, String> nodes = new HashMap<>();
        client.pods()
                .inNamespace(ns)
                .withLabel(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                .list()
                .getItems()
                .forEach(p -> nodes.put(p.getMetadata().getName(), p.getSpec().getNodeName()));
        return nodes;
    }

    private static Map<String, String> decoded(Secret secret) {
        if (secret == null || secret.getData() == null) {
            return Map.of();
        }
        Map<String, String> plain = new HashMap<>();
        secret.getData()
                .forEach((k, v) -> plain.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return plain;
    }
}
