package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When this service cannot ask the simulation that decides a dial, the pair is "unknown from
 * here": neither refused nor timed out, and health leaves it out (a link is not degraded by what
 * this vantage cannot see).
 */
class UnknownFromHereTest {

    @Test
    void aSimulatorThatDoesNotAnswerGivesUnknownNotAVerdict() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var dialer = new SimulatorNetworkDialer("http://127.0.0.1:" + closedPort + "/simulated-network/v1");
        Measured measured = dialer.dial(target(), Duration.ofSeconds(2));
        assertThat(measured.outcome().result()).isEqualTo(ProbeVerdict.UNKNOWN);
        assertThat(measured.simulated()).isTrue();

        ReachabilityEntry entry = ReachabilityService.entry("cloud", target(), measured, Instant.now());
        assertThat(entry.reason()).startsWith("unknown from here: homelab is simulated and this service cannot ask");
        assertThat(entry.result()).isEqualTo(ProbeVerdict.UNKNOWN);

        var matrix = new ReachabilityMatrix(Instant.now(), true, List.of(entry));
        assertThat(ReachabilityHealthContributor.directionChecks(matrix)).isEmpty();
    }

    @Test
    void aRefusedDialIsStillAFailingCheck() {
        Measured refused = Measured.simulated(
                target(), Optional.of(new SimulatedNetworkOracle.Dial("refused", null, null, 0, "no forward")));
        ReachabilityEntry entry = ReachabilityService.entry("cloud", target(), refused, Instant.now());
        var matrix = new ReachabilityMatrix(Instant.now(), true, List.of(entry));
        assertThat(ReachabilityHealthContributor.directionChecks(matrix))
                .singleElement()
                .satisfies(c -> assertThat(c.check().status().label()).isEqualTo("failing"));
    }

    private static ProbeTarget target() {
        return new ProbeTarget(
                "homelab",
                ReachabilityMode.PORT_FORWARD,
                new HostPort("198.51.100.200", 32379),
                "homelab.mesh.cilium.io",
                "homelab",
                1,
                null,
                null,
                null,
                true,
                Optional.empty(),
                null);
    }
}
