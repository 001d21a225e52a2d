package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * Who owns the Cilium install of a cluster, which decides how ClusterMesh may be changed there:
 * a GitOps tool (Argo CD, Flux) reverts or fights any write not in Git, a Helm release wants its
 * values changed, and plain manifests (or cilium-cli classic mode) leave us the objects.
 *
 * @param kind       {@code argocd}, {@code flux}, {@code helm} or {@code none}
 * @param name       the Argo CD application, Flux HelmRelease/Kustomization, or Helm release
 * @param namespace  where that owner lives, when known
 * @param detectedBy the marker that told us, e.g. {@code meta.helm.sh/release-name on DaemonSet cilium}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CiliumOwner(String kind, String name, String namespace, Integer revision, String detectedBy) {
    public static final String ARGOCD = "argocd";
    public static final String FLUX = "flux";
    public static final String HELM = "helm";
    public static final String NONE = "none";
    public static final CiliumOwner UNOWNED = new CiliumOwner(
            NONE, null, null, null, "no Helm or GitOps markers on DaemonSet cilium or ConfigMap cilium-config");

    // Argo CD: annotation tracking (the default from 3.0) writes <app>:<group>/<kind>:<ns>/<name>; label tracking a
    // label.
    static final String ARGOCD_TRACKING_ID = "argocd.argoproj.io/tracking-id";
    static final String ARGOCD_INSTANCE_LABEL = "argocd.argoproj.io/instance";
    // Flux: helm-controller and kustomize-controller label what they apply.
    static final String FLUX_HELM_NAME = "helm.toolkit.fluxcd.io/name";
    static final String FLUX_HELM_NAMESPACE = "helm.toolkit.fluxcd.io/namespace";
    static final String FLUX_KUSTOMIZE_NAME = "kustomize.toolkit.fluxcd.io/name";
    static final String FLUX_KUSTOMIZE_NAMESPACE = "kustomize.toolkit.fluxcd.io/namespace";

    public boolean gitops() {
        return ARGOCD.equals(kind) || FLUX.equals(kind);
    }

    public boolean helm() {
        return HELM.equals(kind);
    }

    /**
     * From the markers on the agent DaemonSet and {@code cilium-config}. GitOps wins over Helm:
     * Flux installs through Helm, yet a write outside Git is undone at its next reconciliation.
     */
    public static CiliumOwner fromMarkers(ObjectMeta daemonSet, ObjectMeta config) {
        for (var entry : List.of(
                Map.entry("DaemonSet " + CiliumNames.AGENT_DAEMONSET, meta(daemonSet)),
                Map.entry("ConfigMap " + CiliumNames.CONFIG_MAP, meta(config)))) {
            ObjectMeta m = entry.getValue();
            Map<String, String> labels = m.getLabels() == null ? Map.of() : m.getLabels();
            Map<String, String> annotations = m.getAnnotations() == null ? Map.of() : m.getAnnotations();
            String where = " on " + entry.getKey();
            String tracking = annotations.get(ARGOCD_TRACKING_ID);
            if (tracking != null && !tracking.isBlank()) {
                return new CiliumOwner(ARGOCD, tracking.split(":", 2)[0], null, null, ARGOCD_TRACKING_ID + where);
            }
            if (labels.containsKey(ARGOCD_INSTANCE_LABEL)) {
                return new CiliumOwner(
                        ARGOCD, labels.get(ARGOCD_INSTANCE_LABEL), null, null, ARGOCD_INSTANCE_LABEL + where);
            }
            if (labels.containsKey(FLUX_HELM_NAME)) {
                return new CiliumOwner(
                        FLUX,
                        labels.get(FLUX_HELM_NAME),
                        labels.get(FLUX_HELM_NAMESPACE),
                        null,
                        FLUX_HELM_NAME + where);
            }
            if (labels.containsKey(FLUX_KUSTOMIZE_NAME)) {
                return new CiliumOwner(
                        FLUX,
                        labels.get(FLUX_KUSTOMIZE_NAME),
                        labels.get(FLUX_KUSTOMIZE_NAMESPACE),
                        null,
                        FLUX_KUSTOMIZE_NAME + where);
            }
        }
        for (var entry : List.of(
                Map.entry("DaemonSet " + CiliumNames.AGENT_DAEMONSET, meta(daemonSet)),
                Map.entry("ConfigMap " + CiliumNames.CONFIG_MAP, meta(config)))) {
            HelmOwnership helm = HelmOwnership.of(entry.getValue());
            if (helm.managed()) {
                return new CiliumOwner(
                        HELM,
                        helm.releaseName(),
                        helm.releaseNamespace(),
                        null,
                        (helm.releaseName() != null
                                        ? CiliumNames.HELM_RELEASE_ANNOTATION
                                        : CiliumNames.HELM_MANAGED_BY_LABEL)
                                + " on " + entry.getKey());
            }
        }
        return UNOWNED;
    }

    /**
     * With Helm's release records of the namespace: the latest deployed release whose manifest holds
     * the cilium DaemonSet owns Cilium even when the objects lost their markers.
     */
    public CiliumOwner withReleaseRecords(List<HelmReleaseRecord> records) {
        if (gitops()) {
            return this;
        }
        return records.stream()
                .filter(HelmReleaseRecord::deployed)
                .filter(HelmReleaseRecord::holdsCiliumDaemonSet)
                .filter(r -> name == null || !helm() || r.name().equals(name))
                .max(java.util.Comparator.comparingInt(HelmReleaseRecord::revision))
                .map(r -> new CiliumOwner(
                        HELM, r.name(), r.namespace(), r.revision(), "Helm release record " + r.secretName()))
                .orElse(this);
    }

    private static ObjectMeta meta(ObjectMeta meta) {
        return meta == null ? new ObjectMeta() : meta;
    }
}
