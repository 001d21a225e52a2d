package io.clustermesh.controller.reachability;

import java.util.List;
import java.util.Optional;

/**
 * One probe's outcome and where it was taken: {@code vantage} {@code service}, {@code remote} or
 * {@code simulated}; {@code path} the way it went when something answered; {@code simulated} when
 * the simulation, not a network, decided it.
 */
record Measured(ProbeOutcome outcome, String vantage, String path, boolean simulated) {

    /** What the simulated network said about a dial of {@code target}'s endpoint, labelled simulated. */
    static Measured simulated(ProbeTarget target, Optional<SimulatedNetworkOracle.Dial> dial) {
        HostPort endpoint = target.endpoint();
        ProbeOutcome outcome =
                SimulatedNetworkOracle.outcome(dial, endpoint.host(), endpoint.port(), target.clusterName());
        String path = outcome.latencyMs() == null
                ? null
                : target.mode() == ReachabilityMode.PORT_FORWARD ? "port-forward" : "direct";
        return new Measured(outcome, "simulated", path, true);
    }

    /**
     * This vantage cannot dial the endpoint to judge it (not "refused", not "timeout": nothing was
     * tried): the pair reads {@code unknown} and health leaves it out.
     */
    static Measured unknownFromHere(String vantage, boolean simulated, String why) {
        return new Measured(
                new ProbeOutcome(
                        ProbeVerdict.UNKNOWN,
                        null,
                        why,
                        List.of(new ReachabilityEntry.Check("tcp", "unknown", null, why))),
                vantage,
                null,
                simulated);
    }
}
