package io.clustermesh.controller.reachability;

import io.clustermesh.controller.contexts.ManagedCluster;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Chooses each managed cluster's {@link EndpointDialer} once, the first time it is dialled (a
 * reloaded kubeconfig makes a new cluster, so a new choice): a real cluster is dialled over the
 * network; a simulated one through the simulation hosting it, in this process when it runs here,
 * else through the simulator's network endpoint its kubeconfig names, else not at all ("unknown
 * from here").
 */
final class EndpointDialers {
    private final EndpointDialer network;
    private final Optional<SimulatedNetworkOracle> inProcess;
    private final Map<ManagedCluster, EndpointDialer> chosen = Collections.synchronizedMap(new WeakHashMap<>());

    EndpointDialers(EndpointDialer network, Optional<SimulatedNetworkOracle> inProcess) {
        this.network = network;
        this.inProcess = inProcess;
    }

    EndpointDialer of(ManagedCluster cluster) {
        return chosen.computeIfAbsent(cluster, this::choose);
    }

    private EndpointDialer choose(ManagedCluster cluster) {
        if (!cluster.simulated()) {
            return network;
        }
        Optional<SimulatedNetworkOracle> here = inProcess.filter(o -> o.hosts(cluster.server()));
        if (here.isPresent()) {
            return new InProcess(here.get());
        }
        return cluster.simulatedNetwork()
                .<EndpointDialer>map(SimulatorNetworkDialer::new)
                .orElseGet(
                        () -> new Unreachable(
                                cluster.name()
                                        + " is simulated, but no simulation runs in this service and its kubeconfig names no simulated network"));
    }

    /** The simulation runs in this process: its oracle answers directly. */
    private record InProcess(SimulatedNetworkOracle oracle) implements EndpointDialer {
        @Override
        public Measured dial(ProbeTarget target, Duration timeout) {
            return Measured.simulated(
                    target,
                    oracle.dial(target.endpoint().host(), target.endpoint().port()));
        }

        @Override
        public String vantage() {
            return "simulated";
        }

        @Override
        public boolean simulated() {
            return true;
        }
    }

    /** Nothing this service can dial decides it. */
    private record Unreachable(String why) implements EndpointDialer.Simulated {
        @Override
        public Measured dial(ProbeTarget target, Duration timeout) {
            return Measured.unknownFromHere(vantage(), true, why);
        }
    }
}
