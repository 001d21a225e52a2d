package io.clustermesh.controller.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One mutation attempt, whatever its outcome: who (token name, never the token), what (method,
 * matched route, path, query, a body summary with secrets redacted), the target clusters, and the
 * result (HTTP status, problem type, operation started).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(
        Instant time,
        String who,
        String method,
        String route,
        String path,
        String query,
        String body,
        String target,
        int status,
        String problem,
        String operation) {}
