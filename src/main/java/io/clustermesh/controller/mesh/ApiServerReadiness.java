package io.clustermesh.controller.mesh;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/** cilium-cli's readiness rule for the clustermesh-apiserver Deployment (contract §7.1 step 3). */
public final class ApiServerReadiness {
    private ApiServerReadiness() {
    }

    public static boolean isReady(Deployment d) {
        var status = d.getStatus();
        Integer replicas = d.getSpec().getReplicas();
        if (status == null || replicas == null || replicas == 0) {
            return false;
        }
        Long generation = d.getMetadata().getGeneration();
        boolean observed = generation == null || (status.getObservedGeneration() != null && status.getObservedGeneration() >= generation);
        return observed && replicas.equals(status.getReadyReplicas()) && replicas.equals(status.getAvailableReplicas())
                && replicas.equals(status.getUpdatedReplicas());
    }

    public static String describe(Deployment d) {
        var status = d.getStatus();
        if (status == null) {
            return "no status yet";
        }
        return "ready " + nz(status.getReadyReplicas()) + "/" + nz(d.getSpec().getReplicas()) + ", updated " + nz(status.getUpdatedReplicas());
    }

    private static int nz(Integer value) {
        return value == null ? 0 : value;
    }
}
