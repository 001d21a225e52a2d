package io.clustermesh.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code mesh.rotation.*}: when keys and certificates are due, how long a rotation waits, the schedule. */
@ConfigMapping(prefix = "mesh.rotation")
public interface RotationConfig {

    /** A node's WireGuard key older than this is due for rotation. */
    @WithDefault("90d")
    Duration wireguardMaxAge();

    /** A certificate with less validity left than this is due (and health warns). */
    @WithDefault("30d")
    Duration certificateThreshold();

    WireGuard wireguard();

    Schedule schedule();

    interface WireGuard {
        /** How long one node may take to come back with a new, valid, unique key. */
        @WithDefault("3m")
        Duration nodeTimeout();

        /** How long every peer (local and connected clusters) may take to list the new key. */
        @WithDefault("3m")
        Duration peerTimeout();

        @WithDefault("15s")
        Duration execTimeout();

        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Schedule {
        /** Off by default: rotating production keys is an explicit decision. */
        @WithDefault("false")
        boolean enabled();

        /** Quartz-style cron (seconds first) of the scheduled pass. */
        @WithDefault("0 17 3 * * ?")
        String cron();

        /** The Lease (coordination.k8s.io/v1) that elects the one replica running scheduled rotations. */
        @WithDefault("clustermesh-controller-rotation")
        String leaseName();

        /** The service's own namespace; read from the pod's service account when unset. */
        Optional<String> leaseNamespace();

        @WithDefault("30s")
        Duration leaseDuration();
    }
}
