package io.clustermesh.controller.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fresh {@code mesh.state-dir} per test class, so durable state (audit trail) starts empty. */
public class StateDirResource implements QuarkusTestResourceLifecycleManager {
    private static volatile Path current;

    @Override
    public Map<String, String> start() {
        try {
            current = Files.createTempDirectory("test-state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("mesh.state-dir", current.toString());
    }

    @Override
    public void stop() {}

    public static Path stateDir() {
        return current;
    }
}
