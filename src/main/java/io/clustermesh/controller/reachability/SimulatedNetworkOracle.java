package io.clustermesh.controller.reachability;

import java.util.Optional;

/**
 * Simulated clusters have no etcd listening: the simulation that owns them says what a dial to
 * an address would meet, from the state of its simulated network and faults. Results obtained
 * this way are labelled {@code simulated} (vantage and flag), never presented as measured.
 */
public interface SimulatedNetworkOracle {

    /**
     * What dialling {@code host:port} meets; empty when the simulation does not know the address.
     *
     * @param result {@code ok} (a clustermesh-apiserver answered), {@code refused}, {@code timeout}
     * @param servedClusterName the Cilium cluster name served there when {@code ok}
     * @param latencyMs the simulated round trip
     */
    record Dial(String result, String servedClusterName, Integer servedClusterId, double latencyMs, String detail) {
    }

    Optional<Dial> dial(String host, int port);
}
