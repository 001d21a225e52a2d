package io.clustermesh.controller.reachability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code mesh.reachability.*}: probes, the matrix and the remote-side probe Pods. */
@ConfigMapping(prefix = "mesh.reachability")
public interface ReachabilityConfig {

    /** Deadline of one probe (TCP connect, TLS handshake and cluster-config read together). */
    @WithDefault("5s")
    Duration probeTimeout();

    /**
     * How often this service dials every cluster's endpoint from its own vantage (TCP, TLS and the
     * kvstore read: no Kubernetes request while the watches are fresh). A verdict that changed
     * refreshes health at once, so this bounds how late a removed router port-forward is seen, which
     * no Kubernetes object reports.
     */
    @WithDefault("5s")
    Duration endpointProbeInterval();

    /** {@code GET /api/v1/reachability} probes again when the latest matrix is older than this. */
    @WithDefault("30s")
    Duration maxAge();

    /**
     * The router's current public address per port-forward cluster; a declared endpoint whose
     * name resolves elsewhere is reported ({@code address-changed}).
     */
    Map<String, String> publicAddresses();

    /** Image of the remote-side probe Pod: runs {@link ProbeCommand}, which the service's own image ({@code mesh.image}) has. */
    @WithDefault("${mesh.image}")
    String probeImage();

    /** Command of the probe container; the probe arguments follow it. */
    @WithDefault(
            "java,-cp,/deployments/app/*:/deployments/lib/main/*,io.clustermesh.controller.reachability.ProbeCommand")
    List<String> probeCommand();

    /** The Pod's {@code activeDeadlineSeconds}; the service also gives up on the Pod after it. */
    @WithDefault("60s")
    Duration probeDeadline();

    /** Namespace the probe Pods run in; defaults to {@code mesh.namespace}. */
    Optional<String> probeNamespace();

    /** How many disco pings a Tailscale path check may send before settling for DERP (contract §10). */
    @WithDefault("3")
    int tailscalePings();
}
