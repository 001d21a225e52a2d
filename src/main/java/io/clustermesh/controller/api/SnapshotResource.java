package io.clustermesh.controller.api;

import io.clustermesh.controller.health.HealthService;
import io.clustermesh.controller.health.MeshSnapshot;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/snapshot}: the page's one consistent view, as of the latest health refresh. */
@Path("/api/v1/snapshot")
@Produces(MediaType.APPLICATION_JSON)
public class SnapshotResource {
    private final HealthService health;

    public SnapshotResource(HealthService health) {
        this.health = health;
    }

    @GET
    public MeshSnapshot snapshot() {
        return health.snapshot(HealthRoute.FIRST_REFRESH_WAIT)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.NOT_COMPUTED_YET,
                        "the first health refresh has not finished yet; try again in a few seconds"));
    }
}
