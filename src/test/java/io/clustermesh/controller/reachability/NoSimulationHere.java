package io.clustermesh.controller.reachability;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Optional;

/**
 * For tests of a service whose process does not run the simulation (as in the benchmark, where the
 * simulator is a process of its own): this process's simulated network hosts no cluster, so each
 * simulated cluster's dialer must go through the simulator's network endpoint. Dialling here fails
 * the test: nothing may take the in-process path.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class NoSimulationHere implements SimulatedNetworkOracle {
    @Override
    public Optional<Dial> dial(String host, int port) {
        throw new AssertionError("the in-process simulation was dialled for " + host + ":" + port);
    }

    @Override
    public boolean hosts(String apiServerUrl) {
        return false;
    }
}
