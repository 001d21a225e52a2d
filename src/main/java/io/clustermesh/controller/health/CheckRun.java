package io.clustermesh.controller.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One run of the one-shot check: what it prints with {@code --output json} and what it POSTs to
 * {@code /api/v1/checks}. The service sets {@code id} and {@code receivedAt}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckRun(
        String id,
        Instant startedAt,
        long durationMs,
        HealthStatus status,
        int exitCode,
        String host,
        Instant receivedAt,
        HealthReport report) {

    CheckRun received(String id, Instant at) {
        return new CheckRun(id, startedAt, durationMs, status, exitCode, host, at, report);
    }
}
