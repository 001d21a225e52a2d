package io.clustermesh.controller.cilium;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;

/**
 * Whether an object belongs to a Helm release (contract §0.1). These are Helm's markers, not
 * Cilium's: on a Helm-managed install the next {@code helm upgrade} overwrites what we write, so
 * callers must refuse or go through Helm values instead.
 *
 * @param releaseName null when unknown (labelled managed-by Helm but no release annotation)
 */
public record HelmOwnership(boolean managed, String releaseName, String releaseNamespace) {
    public static final HelmOwnership NOT_MANAGED = new HelmOwnership(false, null, null);

    public static HelmOwnership of(ObjectMeta meta) {
        if (meta == null) {
            return NOT_MANAGED;
        }
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        String release = blankToNull(annotations.get(CiliumNames.HELM_RELEASE_ANNOTATION));
        boolean labelled = CiliumNames.HELM_MANAGED_BY_VALUE.equals(labels.get(CiliumNames.HELM_MANAGED_BY_LABEL));
        if (!labelled && release == null) {
            return NOT_MANAGED;
        }
        return new HelmOwnership(
                true, release, blankToNull(annotations.get(CiliumNames.HELM_RELEASE_NAMESPACE_ANNOTATION)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
