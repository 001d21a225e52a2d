package io.clustermesh.controller.api;

import io.clustermesh.controller.operations.Operation;
import io.clustermesh.controller.reachability.ReachabilityMatrix;
import io.clustermesh.controller.reachability.ReachabilityService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

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
    public Response probe(ReachabilityService.ProbeRequest request, @Context ContainerRequestContext context) {
        Operation operation = reachability.startProbes(request, Mutations.caller(context));
        return Response.accepted(operation).location(URI.create("/api/v1/operations/" + operation.id())).build();
    }
}
