package io.clustermesh.controller.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.health.HealthReport;
import io.clustermesh.controller.health.HealthService;
import io.clustermesh.controller.health.HealthStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The serialised health report, made once per snapshot: the first request after a refresh
 * serialises it, every later one reuses the bytes until the next refresh replaces the snapshot.
 */
@ApplicationScoped
public class HealthDocuments {
    /** What is served when even waiting did not produce a first snapshot. */
    private static final HealthReport NOT_YET =
            new HealthReport(HealthStatus.DOWN, null, List.of(), List.of(), List.of());

    private final HealthService health;
    private final ObjectMapper json;
    private volatile HealthDocument cached;

    public HealthDocuments(HealthService health, ObjectMapper json) {
        this.health = health;
        this.json = json;
    }

    /** The document of the current snapshot without waiting; empty only before the first refresh has finished. */
    Optional<HealthDocument> now() {
        return health.current(Duration.ZERO).map(this::documentOf);
    }

    /** The document of the current snapshot, waiting at most {@code wait} for the first refresh. */
    HealthDocument await(Duration wait) {
        return health.current(wait).map(this::documentOf).orElseGet(() -> HealthDocument.of(NOT_YET, json));
    }

    private HealthDocument documentOf(HealthReport report) {
        HealthDocument document = cached;
        if (document != null && document.report() == report) {
            return document;
        }
        // Two requests racing after a refresh may both serialise; either result is the same document.
        document = HealthDocument.of(report, json);
        cached = document;
        return document;
    }
}
