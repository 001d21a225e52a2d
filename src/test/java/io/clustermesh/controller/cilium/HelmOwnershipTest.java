package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class HelmOwnershipTest {

    @Test
    void releaseAnnotationMarksHelmManagedWithReleaseName() {
        HelmOwnership h = HelmOwnership.of(new ObjectMetaBuilder()
                .withName("cilium-clustermesh")
                .addToLabels("app.kubernetes.io/managed-by", "Helm")
                .addToAnnotations("meta.helm.sh/release-name", "cilium")
                .addToAnnotations("meta.helm.sh/release-namespace", "kube-system")
                .build());

        assertThat(h).isEqualTo(new HelmOwnership(true, "cilium", "kube-system"));
    }

    @Test
    void managedByLabelAloneIsEnough() {
        HelmOwnership h = HelmOwnership.of(new ObjectMetaBuilder()
                .addToLabels("app.kubernetes.io/managed-by", "Helm")
                .build());

        assertThat(h.managed()).isTrue();
        assertThat(h.releaseName()).isNull();
    }

    @Test
    void annotationAloneIsEnough() {
        HelmOwnership h = HelmOwnership.of(new ObjectMetaBuilder()
                .addToAnnotations("meta.helm.sh/release-name", "c")
                .build());

        assertThat(h.managed()).isTrue();
        assertThat(h.releaseName()).isEqualTo("c");
    }

    @Test
    void otherManagersAndBareObjectsAreNotHelmManaged() {
        assertThat(HelmOwnership.of(new ObjectMetaBuilder()
                        .addToLabels("app.kubernetes.io/managed-by", "clustermesh-controller")
                        .build()))
                .isEqualTo(HelmOwnership.NOT_MANAGED);
        assertThat(HelmOwnership.of(new ObjectMetaBuilder().build()).managed()).isFalse();
        assertThat(HelmOwnership.of(null).managed()).isFalse();
    }
}
