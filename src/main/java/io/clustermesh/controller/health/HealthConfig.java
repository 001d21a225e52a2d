package io.clustermesh.controller.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** Health, history and check settings ({@code mesh.health.*}; the state directory is {@code StateDirectory}). */
@ConfigMapping(prefix = "mesh")
public interface HealthConfig {

    Health health();

    interface Health {
        /** How often the cached health is recomputed from the clusters. */
        @WithName("refresh-interval")
        @WithDefault("15s")
        Duration refreshInterval();

        /**
         * How often the clusters' informers are looked at (in-process, no cluster call): an event they
         * took in, or a watch that stopped or resumed, recomputes health at once rather than at the
         * next {@code refresh-interval}.
         */
        @WithName("watch-check-interval")
        @WithDefault("1s")
        Duration watchCheckInterval();

        /**
         * While health is not healthy it is recomputed at least this often, so a recovery that no
         * watch reports (a cluster whose watches are still backing off, a remote reconnecting)
         * shows within this rather than {@code refresh-interval}. Readings of clusters with a
         * remote not ready are never reused, so this is what a fault costs in requests.
         */
        @WithName("unhealthy-refresh-interval")
        @WithDefault("5s")
        Duration unhealthyRefreshInterval();

        /** A certificate with fewer days left than this is a warning. */
        @WithName("certificate-warning-days")
        @WithDefault("30")
        int certificateWarningDays();

        /** Transitions kept per link (the flap count keeps counting past it). */
        @WithName("history-size")
        @WithDefault("100")
        int historySize();

        /** One-shot check results kept. */
        @WithName("checks-kept")
        @WithDefault("50")
        int checksKept();
    }
}
