package io.clustermesh.controller.sim;

import io.clustermesh.controller.reachability.SimulatedNetworkOracle;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a dial meets in the simulated network: the clustermesh-apiserver of the cluster that
 * answers there, the home router's refusal once its port-forward is gone, or silence for a
 * black-holed cluster. Decided from the simulated clusters' live state and faults, never fixed.
 */
@ApplicationScoped
public class SimulatedReachability implements SimulatedNetworkOracle {
    /** Round trips the simulation pretends: across the home uplink, or between cloud regions. */
    private static final double HOME_UPLINK_MS = 24.0;

    private static final double CLOUD_MS = 3.0;

    @Override
    public boolean hosts(String apiServerUrl) {
        return SimulatedNetwork.clusters().stream().anyMatch(c -> c.serverUrl().equals(apiServerUrl));
    }

    @Override
    public Optional<Dial> dial(String host, int port) {
        Optional<SimulatedCluster> answering = SimulatedNetwork.dial(host, port);
        if (answering.isPresent()) {
            SimulatedCluster cluster = answering.get();
            double base = cluster.behindNat() ? HOME_UPLINK_MS : CLOUD_MS;
            double latency =
                    Math.round(base * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()) * 100) / 100.0;
            return Optional.of(new Dial(
                    "ok",
                    cluster.view().clusterName(),
                    cluster.clusterId(),
                    latency,
                    "clustermesh-apiserver of simulated cluster " + cluster.name() + " answered"));
        }
        Optional<SimulatedCluster> owner = SimulatedNetwork.owner(host);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        SimulatedCluster cluster = owner.get();
        if (cluster.faults().contains(SimulatedFault.BLACKHOLE)) {
            return Optional.of(new Dial("timeout", null, null, 0, "packets to " + cluster.name() + " are black-holed"));
        }
        if (cluster.behindNat() && cluster.faults().contains(SimulatedFault.PORT_FORWARD_REMOVED)) {
            return Optional.of(new Dial(
                    "refused",
                    null,
                    null,
                    0,
                    "the home router of " + cluster.name() + " has no port-forward for " + port
                            + " and answers with a reset"));
        }
        if (cluster.behindNat()) {
            return Optional.of(new Dial(
                    "refused", null, null, 0, "the home router of " + cluster.name() + " forwards no port " + port));
        }
        return Optional.of(new Dial(
                "refused", null, null, 0, "nothing listens on " + host + ":" + port + " in " + cluster.name()));
    }
}
