package io.clustermesh.controller.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.cilium.HelmRelease;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which revision disable restores and which chart defaults an upgrade renders with, from Helm's history alone. */
class HelmModeReleaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aReleaseWeNeverChangedIsItsOwnPristineRevision() {
        var release = HelmModeRelease.of(List.of(rev(1, "Install complete"), rev(2, "Upgrade complete")))
                .orElseThrow();
        assertThat(release.latest().revision()).isEqualTo(2);
        assertThat(release.pristine().revision()).isEqualTo(2);
        assertThat(release.pristineKnown()).isTrue();
    }

    @Test
    void duringOurChangesThePristineRevisionIsTheOneBeforeTheFirst() {
        var release = HelmModeRelease.of(List.of(
                        rev(1, "Install complete"),
                        rev(2, "clustermesh-controller: enable"),
                        rev(3, "Upgrade complete"),
                        rev(4, "clustermesh-controller: connect")))
                .orElseThrow();
        assertThat(release.latest().revision()).isEqualTo(4);
        assertThat(release.pristine().revision()).isEqualTo(1);
        assertThat(release.pristineKnown()).isTrue();
    }

    @Test
    void afterOurDisableTheLatestRevisionIsTheUsersAgain() {
        var release = HelmModeRelease.of(List.of(
                        rev(1, "Install complete"),
                        rev(2, "clustermesh-controller: enable"),
                        rev(3, "clustermesh-controller: disable")))
                .orElseThrow();
        assertThat(release.pristine().revision()).isEqualTo(3);
        assertThat(release.pristineKnown()).isTrue();
    }

    @Test
    void historyPrunedPastOurFirstChangeLeavesThePristineValuesUnknown() {
        // helm upgrade --history-max 2: revision 1 (before our enable) is gone.
        var release = HelmModeRelease.of(
                        List.of(rev(2, "clustermesh-controller: enable"), rev(3, "clustermesh-controller: connect")))
                .orElseThrow();
        assertThat(release.pristineKnown()).isFalse();
        assertThat(HelmModeRelease.of(List.of())).isEmpty();
    }

    private static HelmRelease rev(int revision, String description) {
        return new HelmRelease(
                "cilium",
                "kube-system",
                revision,
                "deployed",
                description,
                JSON.createObjectNode(),
                JSON.createObjectNode(),
                "");
    }
}
