package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Compares what we want with what a cluster has. API servers add defaults to what they store, so
 * objects are compared through a hash of what we wrote, kept in an annotation on the object.
 */
final class DesiredObjects {
    static final String DESIRED_HASH = "clustermesh-controller.io/desired-hash";

    private DesiredObjects() {}

    /** Adds a create or update to {@code changes} unless the cluster already has exactly this. */
    static <T extends HasMetadata> void converge(
            List<Step> changes, String cluster, T desired, Optional<T> current, String summary) {
        String hash = hashOf(desired);
        desired.getMetadata().getAnnotations().put(DESIRED_HASH, hash);
        if (current.isEmpty()) {
            changes.add(new Step.Write(cluster, desired, false, summary));
            return;
        }
        T existing = current.get();
        refuseForeign(cluster, existing);
        if (existing.getMetadata().getAnnotations() != null
                && hash.equals(existing.getMetadata().getAnnotations().get(DESIRED_HASH))) {
            return;
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        // The generation read lets the write retry over a mere status update (see ClusterGateway.apply).
        desired.getMetadata().setGeneration(existing.getMetadata().getGeneration());
        changes.add(new Step.Write(cluster, desired, true, summary));
    }

    /**
     * Objects we did not create are never overwritten: a Helm-rendered clustermesh-apiserver
     * belongs to Helm, and writing over it would be undone (or fought) by the next upgrade.
     */
    static void refuseForeign(String cluster, HasMetadata existing) {
        if (MeshLabels.isOurs(existing.getMetadata())) {
            return;
        }
        var helm = io.clustermesh.controller.cilium.HelmOwnership.of(existing.getMetadata());
        String owner = helm.managed()
                ? "Helm release '" + helm.releaseName() + "'"
                : "someone else (no clustermesh-controller label)";
        throw new ProblemException(
                ProblemType.HELM_MANAGED,
                "cluster " + cluster + ": " + existing.getKind() + " "
                        + existing.getMetadata().getName() + " exists and belongs to " + owner
                        + "; manage ClusterMesh through that owner (Helm: clustermesh.useAPIServer, clustermesh.config.clusters) or remove the object first",
                "cluster");
    }

    private static String hashOf(HasMetadata desired) {
        var copy = Serialization.clone(desired);
        copy.getMetadata().setResourceVersion(null);
        if (copy.getMetadata().getAnnotations() != null) {
            copy.getMetadata().getAnnotations().remove(DESIRED_HASH);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Serialization.asJson(copy).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
