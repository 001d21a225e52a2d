package io.clustermesh.controller.reachability;

import io.clustermesh.controller.cilium.ClusterConfig;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * What one kvstore probe found. Every outcome carries the time from the start of the probe to the
 * moment it was decided, measured with {@link System#nanoTime()}.
 */
public sealed interface ProbeResult {
    Duration latency();

    /** Whether a Cilium agent or KVStoreMesh using the same endpoint and certs would connect. */
    default boolean reachable() {
        return this instanceof Ok;
    }

    /** The endpoint serves the expected cluster and our cert may read its cluster-config. */
    record Ok(Duration latency, int clusterId, ClusterConfig.Capabilities capabilities) implements ProbeResult {}

    /** Nothing decided before the deadline; {@code stage} says what was pending. */
    record Timeout(Duration latency, String stage) implements ProbeResult {}

    /** The TCP connection was actively refused (nothing listens, or a firewall rejects). */
    record Refused(Duration latency, String address) implements ProbeResult {}

    /**
     * TLS failed; {@code reason} uses the wording etcd/Go clients log where one exists (e.g.
     * {@code certificate signed by unknown authority}) so it matches what Cilium reports.
     */
    record TlsError(Duration latency, String reason) implements ProbeResult {}

    /**
     * etcd answered, but not as the expected cluster: another id, or no readable
     * {@code cilium/cluster-config/<expectedName>} (missing, or permission denied, which with the
     * {@code remote} cert means the endpoint serves another cluster name; contract §9).
     */
    record WrongCluster(Duration latency, String expectedName, int expectedId, OptionalInt foundId, String reason)
            implements ProbeResult {}

    /** The host name did not resolve. */
    record Unresolved(Duration latency, String host) implements ProbeResult {}

    /** Anything else: an unexpected HTTP answer, an unreadable value, a reset connection. */
    record Failed(Duration latency, String reason) implements ProbeResult {}
}
