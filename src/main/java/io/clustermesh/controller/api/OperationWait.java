package io.clustermesh.controller.api;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.operations.Operation;
import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code ?wait=<duration>} on every mutation (docs/cli.md): the answer waits for the operation the
 * mutation started. Finished in time: 200 with the final record when it succeeded; when it failed,
 * the record with the status of its failure's problem type (409, 502, 500...), so {@code curl -f}
 * and scripts stop there. Still running: 202 as without {@code wait}. A filter rather than a
 * parameter on each resource, so every mutation — present and future — honours it the same way.
 */
public class OperationWait {
    static final String PARAM = "wait";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");
    private static final String PROPERTY = OperationWait.class.getName();

    private final OperationService operations;
    private final Duration max;

    public OperationWait(OperationService operations, MeshConfig config) {
        this.operations = operations;
        this.max = config.operations().maxWait();
    }

    /** Refuses a bad {@code wait} before the mutation runs: nothing changes on a 400. Runs after authorisation. */
    @ServerRequestFilter
    public void validate(ContainerRequestContext request) {
        if (Access.isRead(request.getMethod())
                || !request.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        var values = request.getUriInfo().getQueryParameters().get(PARAM);
        if (values == null || values.isEmpty()) {
            return;
        }
        if (values.size() > 1) {
            throw ProblemException.invalid(PARAM, "give wait once");
        }
        request.setProperty(PROPERTY, parse(values.get(0), max));
    }

    @ServerResponseFilter
    public void await(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(PROPERTY) instanceof Duration wait)
                || response.getStatus() != 202
                || !(response.getEntity() instanceof Operation started)
                || wait.isZero()) {
            return;
        }
        Operation last = operations.await(started.id(), wait);
        if (!last.state().finished()) {
            response.setEntity(last);
            return;
        }
        response.getHeaders().remove("Location");
        response.setStatus(statusOf(last));
        response.setEntity(last, response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
    }

    /** 200 for success; a failure answers with its own problem type's status. */
    static int statusOf(Operation finished) {
        if (finished.state() == Operation.State.succeeded) {
            return 200;
        }
        return Optional.ofNullable(finished.errorType())
                .flatMap(uri -> Arrays.stream(ProblemType.values())
                        .filter(t -> t.uri().equals(uri))
                        .findFirst())
                .orElse(ProblemType.INTERNAL)
                .httpStatus();
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}; at most {@code max}. */
    static Duration parse(String raw, Duration max) {
        Matcher m = DURATION.matcher(raw == null ? "" : raw.trim());
        if (!m.matches()) {
            throw ProblemException.invalid(
                    PARAM, "wait must be a duration such as 30s, 2m or 500ms (at most " + human(max) + ")");
        }
        long amount = Long.parseLong(m.group(1));
        Duration wait = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
        if (wait.compareTo(max) > 0) {
            throw ProblemException.invalid(
                    PARAM,
                    "wait may be at most " + human(max)
                            + " (mesh.operations.max-wait); the operation goes on, poll it");
        }
        return wait;
    }

    private static String human(Duration d) {
        return d.toSeconds() % 60 == 0 && d.toSeconds() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }
}
