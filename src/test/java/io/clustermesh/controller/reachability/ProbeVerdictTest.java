package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The probe result is an enum in the code and the same word in the API and in a probe Pod's output. */
class ProbeVerdictTest {

    @ParameterizedTest
    @EnumSource(ProbeVerdict.class)
    void aProbePodsOutputKeepsItsWord(ProbeVerdict verdict) {
        String line = ProbeCommand.toJson(new ProbeOutcome(verdict, 12.5, "why", List.of()));

        assertThat(line).contains("\"result\":\"" + verdict.value() + "\"");
        assertThat(ProbeCommand.fromJson(line).result()).isEqualTo(verdict);
        assertThat(ProbeVerdict.of(verdict.value())).isEqualTo(verdict);
    }

    @Test
    void aWordNoProbeGivesIsAFailedProbeNotAVerdict() {
        ProbeOutcome outcome = ProbeCommand.fromJson("{\"result\":\"healthy\",\"latencyMs\":1.0}");

        assertThat(outcome.result()).isEqualTo(ProbeVerdict.FAILED);
        assertThat(outcome.detail()).contains("healthy");
    }

    @Test
    void theWordsAreTheApisWords() {
        assertThat(List.of(ProbeVerdict.values()).stream().map(ProbeVerdict::value))
                .containsExactly(
                        "ok",
                        "timeout",
                        "refused",
                        "tls-error",
                        "wrong-cluster",
                        "unresolved",
                        "failed",
                        "no-endpoint",
                        "unknown",
                        "device-offline",
                        "key-expired");
    }
}
