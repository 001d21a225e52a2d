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
