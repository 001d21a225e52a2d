package io.clustermesh.controller.config;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where durable state lives (link history, check runs, the audit trail): {@code mesh.state-dir}
 * when set; otherwise, for the demo, a new directory per run, removed on a clean stop, so a fresh
 * demo never starts with an old demo's history (nor writes into the user's real state); otherwise
 * {@code ~/.local/state/clustermesh-controller}.
 */
@Singleton
public class StateDirectory {
    private final Path path;
    private final Optional<TemporaryDirectory> perRun;

    @Inject
    public StateDirectory(MeshConfig config) {
        this(config.stateDir(), config.demo().enabled());
    }

    StateDirectory(Optional<String> configured, boolean demo) {
        if (configured.isPresent()) {
            perRun = Optional.empty();
            path = Path.of(configured.get());
        } else if (demo) {
            perRun = Optional.of(TemporaryDirectory.create("clustermesh-demo-state-"));
            path = perRun.get().path();
        } else {
            perRun = Optional.empty();
            path = Path.of(System.getProperty("user.home"), ".local", "state", "clustermesh-controller");
        }
    }

    public Path path() {
        return path;
    }

    /** Last of the shutdown observers: nothing writes state after it. */
    void removePerRunState(@Observes @Priority(Integer.MAX_VALUE - 1) ShutdownEvent event) {
        perRun.ifPresent(TemporaryDirectory::delete);
    }
}
