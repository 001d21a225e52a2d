package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CiliumOwnerTest {

    /** marker on the DaemonSet (kind:key=value), marker on cilium-config → owner kind and name. */
    @ParameterizedTest(name = "{0} / {1} -> {2} {3}")
    @CsvSource({
        "annotation:argocd.argoproj.io/tracking-id=cilium:apps/DaemonSet:kube-system/cilium, -, argocd, cilium",
        "label:argocd.argoproj.io/instance=infra, -, argocd, infra",
        "label:helm.toolkit.fluxcd.io/name=cilium, -, flux, cilium",
        "-, label:kustomize.toolkit.fluxcd.io/name=platform, flux, platform",
        "annotation:meta.helm.sh/release-name=cilium, -, helm, cilium",
        "label:app.kubernetes.io/managed-by=Helm, -, helm, ",
        "-, -, none, ",
    })
    void ownerFromTheMarkersOnCiliumsObjects(String daemonSetMarker, String configMarker, String kind, String name) {
        CiliumOwner owner = CiliumOwner.fromMarkers(meta(daemonSetMarker), meta(configMarker));
        assertThat(owner.kind()).isEqualTo(kind);
        assertThat(owner.name()).isEqualTo(name);
        assertThat(owner.gitops()).isEqualTo(kind.equals("argocd") || kind.equals("flux"));
    }

    @Test
    void gitOpsWinsOverHelmMarkers() {
        // Flux's helm-controller installs through Helm: the object carries both, and Git is the truth.
        ObjectMeta both = new ObjectMetaBuilder()
                .addToAnnotations("meta.helm.sh/release-name", "cilium")
                .addToLabels("app.kubernetes.io/managed-by", "Helm")
                .addToLabels("helm.toolkit.fluxcd.io/name", "cilium")
                .build();
        assertThat(CiliumOwner.fromMarkers(both, null).kind()).isEqualTo("flux");
    }

    @Test
    void theLatestDeployedReleaseHoldingTheAgentsOwnsCilium() throws Exception {
        List<HelmReleaseRecord> records = List.of(
                HelmReleaseRecord.decode(record("cilium", 1, "superseded", ciliumManifest()))
                        .orElseThrow(),
                HelmReleaseRecord.decode(record("cilium", 2, "deployed", ciliumManifest()))
                        .orElseThrow(),
                HelmReleaseRecord.decode(
                                record("ingress", 7, "deployed", "---\nkind: Deployment\nmetadata:\n  name: ingress\n"))
                        .orElseThrow());
        CiliumOwner owner = CiliumOwner.UNOWNED.withReleaseRecords(records);
        assertThat(owner.kind()).isEqualTo("helm");
        assertThat(owner.name()).isEqualTo("cilium");
        assertThat(owner.revision()).isEqualTo(2);
        assertThat(owner.detectedBy()).isEqualTo("Helm release record sh.helm.release.v1.cilium.v2");
        assertThat(records.get(2).holdsCiliumDaemonSet()).isFalse();
    }

    @Test
    void aSecretThatIsNoReleaseRecordIsIgnored() {
        Secret other = new SecretBuilder()
                .withNewMetadata()
                .withName("x")
                .endMetadata()
                .withType("Opaque")
                .build();
        assertThat(HelmReleaseRecord.decode(other)).isEmpty();
    }

    private static String ciliumManifest() {
        return "---\n# Source: cilium/templates/cilium-agent/daemonset.yaml\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: cilium\n  namespace: kube-system\n";
    }

    /** As Helm's Secret driver stores a release: base64 (the Secret's own) of base64 of gzip of the release JSON. */
    static Secret record(String name, int revision, String status, String manifest) throws Exception {
        Map<String, Object> release = Map.of(
                "name",
                name,
                "namespace",
                "kube-system",
                "version",
                revision,
                "info",
                Map.of("status", status),
                "chart",
                Map.of("metadata", Map.of("name", "cilium", "version", "1.15.0")),
                "config",
                Map.of(),
                "manifest",
                manifest);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new ObjectMapper().writeValueAsBytes(release));
        }
        String helmEncoded = Base64.getEncoder().encodeToString(gz.toByteArray());
        return new SecretBuilder()
                .withNewMetadata()
                .withName("sh.helm.release.v1." + name + ".v" + revision)
                .withNamespace("kube-system")
                .addToLabels(
                        Map.of("owner", "helm", "name", name, "status", status, "version", String.valueOf(revision)))
                .endMetadata()
                .withType(HelmReleaseRecord.TYPE)
                .withData(Map.of(
                        "release", Base64.getEncoder().encodeToString(helmEncoded.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    private static ObjectMeta meta(String marker) {
        ObjectMetaBuilder meta = new ObjectMetaBuilder();
        if (marker == null || marker.equals("-")) {
            return meta.build();
        }
        String[] kindAndPair = marker.split(":", 2);
        String[] pair = kindAndPair[1].split("=", 2);
        return kindAndPair[0].equals("label")
                ? meta.addToLabels(pair[0], pair[1]).build()
                : meta.addToAnnotations(pair[0], pair[1]).build();
    }
}
