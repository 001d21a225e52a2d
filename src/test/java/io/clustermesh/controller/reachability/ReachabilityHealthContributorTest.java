package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.health.spi.CheckStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReachabilityHealthContributorTest {
    private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void eachProbedDirectionBecomesACheckWithItsLatencyAndUnenabledPairsAreLeftOut() {
        var ok = entry("homelab", "cloud", "ok", 12.5, "direct", null, null);
        var refused = entry(
                "cloud",
                "homelab",
                "refused",
                null,
                null,
                "connection refused by 198.51.100.200:32379",
                "add the port-forward 32379 → the NodePort on the home router");
        var notEnabled =
                entry("cloud", "sim-03", "no-endpoint", null, null, "sim-03 has no clustermesh-apiserver", null);

        var checks = ReachabilityHealthContributor.directionChecks(
                new ReachabilityMatrix(AT, true, List.of(ok, refused, notEnabled)));

        assertThat(checks).hasSize(2);
        assertThat(checks.get(0).check().status()).isEqualTo(CheckStatus.OK);
        assertThat(checks.get(0).check().reason()).isEqualTo("cloud answers at 1.2.3.4:2379 (direct)");
        assertThat(checks.get(0).latencyMs()).isEqualTo(12.5);
        assertThat(checks.get(1).from()).isEqualTo("cloud");
        assertThat(checks.get(1).check().status()).isEqualTo(CheckStatus.FAILING);
        assertThat(checks.get(1).check().reason())
                .isEqualTo("refused dialling 1.2.3.4:2379: connection refused by 198.51.100.200:32379");
        assertThat(checks.get(1).check().hint()).startsWith("add the port-forward");
    }

    private static ReachabilityEntry entry(
            String from, String to, String result, Double latency, String path, String reason, String hint) {
        return new ReachabilityEntry(
                from,
                to,
                "direct",
                "1.2.3.4:2379",
                "simulated",
                ProbeVerdict.of(result),
                latency,
                path,
                AT,
                reason,
                hint,
                true,
                List.of());
    }
}
