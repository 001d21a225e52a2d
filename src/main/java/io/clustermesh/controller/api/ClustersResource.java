package io.clustermesh.controller.api;

import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.SourceError;
import io.clustermesh.controller.mesh.ClusterOverviewService;
import io.clustermesh.controller.mesh.ClusterView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClustersResource {

    public record ClusterList(List<ClusterView> clusters, List<SourceError> errors) {
    }

    private final ClusterOverviewService overview;
    private final ClusterRegistry registry;

    public ClustersResource(ClusterOverviewService overview, ClusterRegistry registry) {
        this.overview = overview;
        this.registry = registry;
    }

    @GET
    public ClusterList list() {
        return new ClusterList(overview.all(), registry.errors());
    }

    @GET
    @Path("/{name}")
    public ClusterView one(@PathParam("name") String name) {
        return overview.one(PathNames.cluster(name));
    }
}
