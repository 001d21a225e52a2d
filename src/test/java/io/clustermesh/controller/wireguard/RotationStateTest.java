package io.clustermesh.controller.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rotation state kept in the cluster: how a rotation is recorded, resumed and finished. */
class RotationStateTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    @Test
    void aRotationRecordsTheCurrentNodeAndItsOldKeyThenCompletesNodeByNode() {
        var state = RotationState.begin(RotationState.WireGuard.EMPTY, "op-1", List.of("n1", "n2"), "n1", "OLDKEY", T0);
        assertThat(state.inProgress().current()).isEqualTo("n1");
        assertThat(state.inProgress().oldPublicKey()).isEqualTo("OLDKEY");
        assertThat(state.inProgress().remaining()).containsExactly("n1", "n2");

        state = RotationState.finishNode(state, "n1", "aaaa", T1);
        assertThat(state.nodes().get("n1")).isEqualTo(new RotationState.NodeRecord("aaaa", T1, T1));
        assertThat(state.inProgress().remaining()).containsExactly("n2");
        assertThat(state.inProgress().current()).isNull();

        // A re-run (another operation) keeps the original order and what is done.
        state = RotationState.begin(state, "op-2", List.of("n2"), "n2", "OLD2", T1);
        assertThat(state.inProgress().nodes()).containsExactly("n1", "n2");
        assertThat(state.inProgress().done()).containsExactly("n1");
        assertThat(state.inProgress().startedAt()).isEqualTo(T0);

        state = RotationState.finishNode(state, "n2", "bbbb", T1);
        assertThat(state.inProgress()).as("finished rotations leave no marker").isNull();
    }

    @Test
    void observingKeepsKnownKeysAndDatesNewOnes() {
        var state = new RotationState.WireGuard(Map.of("n1", new RotationState.NodeRecord("aaaa", T0, T0)), null);
        state = RotationState.observe(
                state, Map.of("n1", "aaaa", "n2", "cccc", "n3", "dddd"), Map.of("n2", T0.minusSeconds(3600)), T1);
        assertThat(state.nodes().get("n1")).isEqualTo(new RotationState.NodeRecord("aaaa", T0, T0));
        assertThat(state.nodes().get("n2").since())
                .as("never seen: since its CiliumNode exists")
                .isEqualTo(T0.minusSeconds(3600));
        assertThat(state.nodes().get("n3").since()).isEqualTo(T1);
        state = RotationState.observe(state, Map.of("n1", "eeee"), Map.of(), T1);
        assertThat(state.nodes().get("n1"))
                .as("changed behind our back")
                .isEqualTo(new RotationState.NodeRecord("eeee", T1, T0));
    }

    @Test
    void aBrokenStateConfigMapOnlyLosesAges() {
        var broken = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(RotationState.CONFIG_MAP)
                .endMetadata()
                .withData(Map.of(RotationState.WIREGUARD_KEY, "{not json"))
                .build();
        assertThat(RotationState.wireGuardOf(broken)).isEqualTo(RotationState.WireGuard.EMPTY);
    }
}
