package io.clustermesh.controller.cilium;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Optional;

/**
 * One revision of a Helm release as Helm's Secret storage driver keeps it: Secret
 * {@code sh.helm.release.v1.<name>.v<N>}, type {@code helm.sh/release.v1}, labels
 * {@code owner=helm,name,status,version}; {@code data.release} is base64 (the Secret's) of
 * base64 of gzip of the release JSON ({@code name}, {@code version}, {@code chart}, {@code config},
 * {@code manifest}).
 */
public record HelmReleaseRecord(
        String secretName,
        String name,
        String namespace,
        int revision,
        String status,
        String chartVersion,
        String manifest) {
    public static final String TYPE = "helm.sh/release.v1";
    public static final Map<String, String> SELECTOR = Map.of("owner", "helm");

    public boolean deployed() {
        return "deployed".equals(status);
    }

    /** Whether this release rendered the Cilium agents (a release of another chart in the namespace does not count). */
    public boolean holdsCiliumDaemonSet() {
        return manifest != null
                && manifest.lines().anyMatch(l -> l.trim().equals("kind: DaemonSet"))
                && manifest.contains("\n  name: " + CiliumNames.AGENT_DAEMONSET + "\n");
    }

    /** Empty for a Secret that is not a readable release record. */
    public static Optional<HelmReleaseRecord> decode(Secret secret) {
        return HelmRelease.releaseJson(secret).map(release -> {
            Map<String, String> labels = secret.getMetadata().getLabels() == null
                    ? Map.of()
                    : secret.getMetadata().getLabels();
            String status = release.path("info").path("status").asText(labels.getOrDefault("status", ""));
            return new HelmReleaseRecord(
                    secret.getMetadata().getName(),
                    release.path("name").asText(labels.get("name")),
                    release.path("namespace").asText(secret.getMetadata().getNamespace()),
                    release.path("version").asInt(),
                    status,
                    release.path("chart").path("metadata").path("version").asText(null),
                    release.path("manifest").asText(null));
        });
    }
}
