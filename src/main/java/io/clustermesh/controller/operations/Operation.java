package io.clustermesh.controller.operations;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A long-running mutation as the API shows it (see the API contract, "Operations").
 * {@code warnings} are the plan's (Helm-managed Cilium, an endpoint the certificate does not name):
 * kept here so whoever watches the operation sees them. {@code errorType} is the problem type of
 * the failure ({@code /problems/<slug>}), which also sets the status of a {@code ?wait=} answer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Operation(
        String id,
        String kind,
        String target,
        String requestedBy,
        State state,
        Progress progress,
        List<Step> steps,
        List<String> warnings,
        String error,
        String errorType,
        Instant createdAt,
        Instant finishedAt) {

    public enum State {
        /** {@code interrupted}: the service stopped while it ran (a crash, a kill); its error says the step it reached and how to resume. */
        pending,
        running,
        succeeded,
        failed,
        cancelled,
        interrupted;

        public boolean finished() {
            return this == succeeded || this == failed || this == cancelled || this == interrupted;
        }
    }

    public record Progress(int done, int total) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String name, String state, String message, Instant startedAt, Instant finishedAt) {}
}
