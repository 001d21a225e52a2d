package io.clustermesh.controller.api;

import io.clustermesh.controller.operations.Operation;
import io.clustermesh.controller.reachability.ReachabilityMatrix;
import io.clustermesh.controller.reachability.ReachabilityService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

@Path("/api/v1/reachability")
@Produces(MediaType.APPLICATION_JSON)
public class ReachabilityResource {
    private final ReachabilityService reachability;

    public ReachabilityResource(ReachabilityService reachability) {
        this.reachability = reachability;
    }

    @GET
    public ReachabilityMatrix matrix() {
        return reachability.matrix();
    }

    /** Body optional: {@code {"clusters": [...], "remote": true, "endpoints": {"homelab": "host:port"}}}. */
    @POST
    @Path("/probes")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response probe(
            ReachabilityService.ProbeRequest request,
            @QueryParam("dryRun") String dryRun,
            @Context ContainerRequestContext context) {
        if (Mutations.flag(dryRun, "dryRun")) {
            // Probing is the only thing this would do, and probing starts Pods: a dry run checks the request and stops.
            var valid = reachability.validate(request);
            return Response.ok(new Mutations.DryRunResponse(
                            true,
                            "reachability-probes",
                            valid.clusters().isEmpty() ? "all" : String.join(",", valid.clusters()),
                            List.of(),
                            List.of("dry run: the request is valid; nothing was probed and no probe Pod was created")))
                    .build();
        }
        Operation operation = reachability.startProbes(request, Mutations.caller(context));
        return Response.accepted(operation)
                .location(URI.create("/api/v1/operations/" + operation.id()))
                .build();
    }
}
