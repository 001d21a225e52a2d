package io.clustermesh.controller.api;

import io.clustermesh.controller.mesh.MutationResult;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.problems.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Shared shape of every mutating endpoint: dryRun parsing, who is calling, 200 plan or 202 operation. */
final class Mutations {

    /** {@code consistency} says what a dry run's plan is worth: it was read without the clusters' locks. */
    public record DryRunResponse(
            boolean dryRun,
            String kind,
            String target,
            List<Step.View> plan,
            List<String> warnings,
            String consistency) {
        DryRunResponse(boolean dryRun, String kind, String target, List<Step.View> plan, List<String> warnings) {
            this(dryRun, kind, target, plan, warnings, POINT_IN_TIME);
        }
    }

    static final String POINT_IN_TIME =
            "point-in-time: read without taking the clusters' locks; an operation running now may change "
                    + "them, and the real run plans again under its locks";

    private Mutations() {}

    /** Absent means false; present must be exactly true or false ({@link StrictQuery} refuses the rest before this). */
    static boolean flag(String raw, String field) {
        if (raw == null) {
            return false;
        }
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalid(field, field + " must be true or false");
        };
    }

    static String caller(ContainerRequestContext request) {
        Object caller = request.getProperty(Caller.REQUEST_PROPERTY);
        return caller instanceof Caller c ? c.tokenName() : "unknown";
    }

    static Response respond(MutationResult result) {
        if (result instanceof MutationResult.Planned planned) {
            var plan = planned.plan();
            return Response.ok(new DryRunResponse(true, plan.kind(), plan.target(), plan.views(), plan.warnings()))
                    .build();
        }
        var started = (MutationResult.Started) result;
        var operation = started.operation();
        return Response.accepted(operation)
                .location(URI.create("/api/v1/operations/" + operation.id()))
                .header(
                        "X-Plan-Warnings",
                        String.join(" | ", started.plan().warnings()).replaceAll("[\\r\\n]", " "))
                .build();
    }
}
