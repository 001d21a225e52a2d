package io.clustermesh.controller.mesh;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/** cilium-cli's readiness rule for the clustermesh-apiserver Deployment (contract §7.1 step 3). */
public final class ApiServerReadiness {
    private ApiServerReadiness() {}

    /**
     * Ready once the rollout of the current template is complete, as {@code kubectl rollout status}
     * decides it: the controller saw this generation, every wanted replica runs the new template,
     * no old replica is left (status.replicas counts a surge pod and a terminating old one too),
     * and every updated replica is available (its readiness probe passed).
     */
    public static boolean isReady(Deployment d) {
        return notReadyReason(d) == null;
    }

    /** Why the rollout is not complete, or null when it is. */
    public static String notReadyReason(Deployment d) {
        var status = d.getStatus();
        int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        if (wanted == 0) {
            return "scaled to 0 replicas";
        }
        if (status == null) {
            return "no status yet";
        }
        Long generation = d.getMetadata().getGeneration();
        if (generation != null
                && (status.getObservedGeneration() == null || status.getObservedGeneration() < generation)) {
            return "the new template is not observed yet";
        }
        int updated = nz(status.getUpdatedReplicas());
        if (updated < wanted) {
            return updated + " of " + wanted + " replicas run the new template";
        }
        if (nz(status.getReplicas()) > updated) {
            return (nz(status.getReplicas()) - updated) + " old replica(s) pending termination";
        }
        if (nz(status.getAvailableReplicas()) < updated || nz(status.getReadyReplicas()) < wanted) {
            return nz(status.getAvailableReplicas()) + " of " + updated
                    + " updated replicas available (readiness probe not passed)";
        }
        return null;
    }

    public static String describe(Deployment d) {
        var status = d.getStatus();
        if (status == null) {
            return "no status yet";
        }
        String reason = notReadyReason(d);
        return "ready " + nz(status.getReadyReplicas()) + "/" + nz(d.getSpec().getReplicas()) + ", updated "
                + nz(status.getUpdatedReplicas()) + (reason == null ? "" : ": " + reason);
    }

    private static int nz(Integer value) {
        return value == null ? 0 : value;
    }
}
