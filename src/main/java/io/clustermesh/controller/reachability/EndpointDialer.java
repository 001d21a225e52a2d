package io.clustermesh.controller.reachability;

import java.time.Duration;

/**
 * How this service dials one managed cluster's clustermesh endpoint, chosen once per cluster by
 * {@link EndpointDialers}: over the network for a real cluster, through the simulation for a
 * simulated one. The prober never asks which.
 */
interface EndpointDialer {

    /** What dialling {@code target}'s endpoint from this service meets, within {@code timeout}. */
    Measured dial(ProbeTarget target, Duration timeout);

    /** The vantage this dialer's results are labelled with ({@code service} or {@code simulated}). */
    String vantage();

    /** Whether its results come from a simulation (shown as such). */
    boolean simulated();

    /** A dialer whose answers the simulation decides: labelled simulated wherever they are shown. */
    interface Simulated extends EndpointDialer {
        @Override
        default String vantage() {
            return "simulated";
        }

        @Override
        default boolean simulated() {
            return true;
        }
    }
}
