package io.clustermesh.controller.api;

import io.clustermesh.controller.health.CheckRun;
import io.clustermesh.controller.health.HealthService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** One-shot check results: the CronJob POSTs (operator role), anyone with a token reads. */
@Path("/api/v1/checks")
@Produces(MediaType.APPLICATION_JSON)
public class ChecksResource {
    private final HealthService health;

    public ChecksResource(HealthService health) {
        this.health = health;
    }

    @GET
    public List<CheckRun> all() {
        return health.checkRuns();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response report(CheckRun run, @QueryParam("dryRun") String dryRun) {
        // The filter in api/ lets only "true" or "false" through; a dry run stores nothing.
        if ("true".equals(dryRun)) {
            return Response.ok(health.validateCheckRun(run)).build();
        }
        return Response.status(Response.Status.CREATED)
                .entity(health.recordCheckRun(run))
                .build();
    }
}
