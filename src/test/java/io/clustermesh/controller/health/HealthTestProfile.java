package io.clustermesh.controller.health;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Health tests drive refreshes themselves ({@code HealthService.refresh()}); the schedule only
 * makes the first one. A short per-cluster deadline keeps the dead-cluster case quick.
 */
public class HealthTestProfile implements QuarkusTestProfile {
    static final Path STATE_DIR;

    static {
        try {
            STATE_DIR = Files.createTempDirectory("health-state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // These tests inject faults the agents report without any object changing: ask them every refresh.
        return Map.of(
                "mesh.health.refresh-interval",
                "1h",
                "mesh.health.watch-check-interval",
                "1h",
                "mesh.health.agent-scrape-interval",
                "0s",
                "mesh.client.per-cluster-deadline",
                "1500ms",
                "mesh.state-dir",
                STATE_DIR.toString());
    }
}
