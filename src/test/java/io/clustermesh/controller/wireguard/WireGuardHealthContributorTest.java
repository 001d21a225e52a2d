package io.clustermesh.controller.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.health.spi.CheckStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireGuardHealthContributorTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private static final Duration MAX_AGE = Duration.ofDays(90);

    @Test
    void keysPastThePolicyWarnWithTheRotationHintAndEveryKeyHasADueDate() {
        var fresh = key("cloud", "cloud-node-1", 10, false, null);
        var old = key("cloud", "cloud-node-2", 120, true, null);
        var homelab = key("homelab", "homelab-node-1", 5, false, null);

        var contribution = WireGuardHealthContributor.contribution(List.of(fresh, old, homelab), MAX_AGE, NOW);

        assertThat(contribution.clusterChecks()).hasSize(2);
        var cloud = contribution.clusterChecks().get(0);
        assertThat(cloud.cluster()).isEqualTo("cloud");
        assertThat(cloud.check().status()).isEqualTo(CheckStatus.WARNING);
        assertThat(cloud.check().reason()).isEqualTo("1 node key(s) older than 90 days: cloud-node-2");
        assertThat(cloud.check().hint()).isEqualTo("rotate them: POST /api/v1/clusters/cloud/wireguard/rotations");
        assertThat(contribution.clusterChecks().get(1).check().status()).isEqualTo(CheckStatus.OK);
        assertThat(contribution.keyAges()).extracting(k -> k.age().toDays()).containsExactly(10L, 120L, 5L);
        assertThat(contribution.expiries()).extracting(e -> e.daysLeft()).containsExactly(80L, -30L, 85L);
    }

    @Test
    void aNodeWithoutAReadableKeyIsAWarningNotSilence() {
        var broken = key("cloud", "cloud-node-3", 1, false, "no WireGuard public key published");
        var contribution = WireGuardHealthContributor.contribution(List.of(broken), MAX_AGE, NOW);
        assertThat(contribution.clusterChecks()).singleElement().satisfies(c -> {
            assertThat(c.check().status()).isEqualTo(CheckStatus.WARNING);
            assertThat(c.check().reason()).isEqualTo("cloud-node-3: no WireGuard public key published");
        });
    }

    private static WireGuardRotationService.NodeKeyAge key(
            String cluster, String node, int ageDays, boolean due, String problem) {
        Instant since = NOW.instant().minus(Duration.ofDays(ageDays));
        return new WireGuardRotationService.NodeKeyAge(
                cluster, node, "0011223344556677", since, (long) ageDays, due, problem);
    }
}
