package io.clustermesh.controller.health;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.List;

/** {@code GET /api/v1/health}: the cached report, 200 when healthy and 503 otherwise. */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    /** Only before the very first refresh has finished does a request wait, and not longer than this. */
    private static final Duration FIRST_REFRESH_WAIT = Duration.ofSeconds(10);

    private final HealthService health;

    public HealthResource(HealthService health) {
        this.health = health;
    }

    @GET
    public Response get() {
        HealthReport report = health.current(FIRST_REFRESH_WAIT)
                .orElseGet(() -> new HealthReport(HealthStatus.DOWN, null, List.of(), List.of(), List.of()));
        int code = report.status() == HealthStatus.HEALTHY ? 200 : 503;
        return Response.status(code).type(MediaType.APPLICATION_JSON).entity(report).build();
    }
}
