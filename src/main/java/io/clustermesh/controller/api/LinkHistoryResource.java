package io.clustermesh.controller.api;

import io.clustermesh.controller.health.HealthService;
import io.clustermesh.controller.health.LinkHistory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/links/{a}/{b}/history}, either order. */
@Path("/api/v1/links/{a}/{b}/history")
@Produces(MediaType.APPLICATION_JSON)
public class LinkHistoryResource {
    private final HealthService health;

    public LinkHistoryResource(HealthService health) {
        this.health = health;
    }

    @GET
    public LinkHistory get(@PathParam("a") String a, @PathParam("b") String b) {
        return health.history(a, b);
    }
}
