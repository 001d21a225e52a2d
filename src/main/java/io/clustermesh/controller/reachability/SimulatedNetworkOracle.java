package io.clustermesh.controller.reachability;

import java.util.ArrayList;
import java.util.List;
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
    record Dial(String result, String servedClusterName, Integer servedClusterId, double latencyMs, String detail) {}

    Optional<Dial> dial(String host, int port);

    /** Whether the cluster whose API server answers at {@code apiServerUrl} is simulated in this process. */
    boolean hosts(String apiServerUrl);

    /** The probe outcome a dial amounts to, every check marked simulated; shared by this service and simulated probe Pods. */
    static ProbeOutcome outcome(Optional<Dial> dial, String host, int port, String expectedClusterName) {
        List<ReachabilityEntry.Check> checks = new ArrayList<>();
        if (dial.isEmpty()) {
            checks.add(new ReachabilityEntry.Check(
                    "tcp", "timeout", null, "simulated: nothing routes to " + host + ":" + port));
            return new ProbeOutcome(
                    ProbeVerdict.TIMEOUT,
                    null,
                    "connecting to " + host + ":" + port + " (simulated network: nothing routes there)",
                    checks);
        }
        Dial d = dial.get();
        if (!"ok".equals(d.result())) {
            checks.add(new ReachabilityEntry.Check("tcp", d.result(), null, "simulated: " + d.detail()));
            return new ProbeOutcome(ProbeVerdict.of(d.result()), null, "simulated: " + d.detail(), checks);
        }
        checks.add(new ReachabilityEntry.Check("tcp", "ok", d.latencyMs(), "simulated: " + d.detail()));
        if (!expectedClusterName.equals(d.servedClusterName())) {
            checks.add(new ReachabilityEntry.Check(
                    "kvstore", "wrong-cluster", null, "simulated: serves " + d.servedClusterName()));
            return new ProbeOutcome(
                    ProbeVerdict.WRONG_CLUSTER,
                    d.latencyMs(),
                    "endpoint serves cluster " + d.servedClusterName(),
                    checks);
        }
        checks.add(new ReachabilityEntry.Check("tls", "ok", null, "simulated"));
        checks.add(new ReachabilityEntry.Check(
                "kvstore", "ok", d.latencyMs(), "simulated: cluster-config of " + expectedClusterName));
        return new ProbeOutcome(ProbeVerdict.OK, d.latencyMs(), null, checks);
    }
}
