package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * What kube-controller-manager and a cloud load balancer would do, for the few objects the
 * service creates: Deployments become ready (the clustermesh-apiserver only when its containers
 * would start, see {@link SimulatedApiServerPod}), LoadBalancer Services get an address.
 */
final class SimulatedControllers {
    private SimulatedControllers() {}

    static void reconcile(KubernetesClient client, SimulatedClusterSpec spec, SimulatedApiServerPod apiServerPod) {
        String ns = CiliumNames.DEFAULT_NAMESPACE;
        try {
            boolean apiServerSeen = false;
            for (Deployment d :
                    client.apps().deployments().inNamespace(ns).list().getItems()) {
                if (spec.validateApiServerStartup()
                        && CiliumNames.APISERVER.equals(d.getMetadata().getName())) {
                    var status = apiServerPod.reconcile(client, d);
                    apiServerSeen = true;
                    if (!SimulatedApiServerPod.same(status, d.getStatus())) {
                        client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(d.getMetadata().getName())
                                .editStatus(current -> {
                                    current.setStatus(
                                            SimulatedApiServerPod.status(current, status.getReadyReplicas() != null));
                                    return current;
                                });
                    }
                    continue;
                }
                int replicas =
                        d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                var status = d.getStatus();
                Long generation = d.getMetadata().getGeneration();
                // A changed pod template (new generation) is a rollout: it is observed on the next pass.
                boolean observed =
                        generation == null || generation.equals(status == null ? null : status.getObservedGeneration());
                if (status != null
                        && observed
                        && Integer.valueOf(replicas).equals(status.getReadyReplicas())
                        && Integer.valueOf(replicas).equals(status.getUpdatedReplicas())) {
                    continue;
                }
                client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName(d.getMetadata().getName())
                        .editStatus(current -> {
                            current.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                                    .withReplicas(replicas)
                                    .withReadyReplicas(replicas)
                                    .withAvailableReplicas(replicas)
                                    .withUpdatedReplicas(replicas)
                                    .withObservedGeneration(
                                            current.getMetadata().getGeneration())
                                    .build());
                            return current;
                        });
            }
            if (spec.validateApiServerStartup() && !apiServerSeen) {
                apiServerPod.removeAll(client, ns);
            }
            for (Service s : client.services().inNamespace(ns).list().getItems()) {
                // A cloud load-balancer controller leaves Services of another class alone (the Tailscale operator's).
                if (!"LoadBalancer".equals(s.getSpec().getType()) || s.getSpec().getLoadBalancerClass() != null) {
                    continue;
                }
                var lb = s.getStatus() == null ? null : s.getStatus().getLoadBalancer();
                if (lb != null && lb.getIngress() != null && !lb.getIngress().isEmpty()) {
                    continue;
                }
                String ip = loadBalancerIp(spec);
                client.services()
                        .inNamespace(ns)
                        .withName(s.getMetadata().getName())
                        .editStatus(current -> {
                            current.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder()
                                    .withNewLoadBalancer()
                                    .withIngress(
                                            List.of(new io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder()
                                                    .withIp(ip)
                                                    .build()))
                                    .endLoadBalancer()
                                    .build());
                            return current;
                        });
            }
            SimulatedTailscaleOperator.reconcile(client, spec);
            SimulatedProbePods.run(client);
        } catch (KubernetesClientException e) {
            // A concurrent write by the service wins; the next round tries again.
        }
    }

    /** cloud's LB is 203.0.113.10 as in the contract fixtures; others get one per cluster id. */
    static String loadBalancerIp(SimulatedClusterSpec spec) {
        return spec.name().equals("cloud") ? "203.0.113.10" : "198.51.100." + (100 + spec.clusterId() % 100);
    }
}
