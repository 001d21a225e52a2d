package io.clustermesh.controller.api;

import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.SourceError;
import io.clustermesh.controller.mesh.ClusterOverviewService;
import io.clustermesh.controller.mesh.ClusterView;
import io.clustermesh.controller.mesh.EnableRequest;
import io.clustermesh.controller.mesh.MeshService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClustersResource {

    public record ClusterList(List<ClusterView> clusters, List<SourceError> errors) {}

    private final ClusterOverviewService overview;
    private final ClusterRegistry registry;
    private final MeshService mesh;

    public ClustersResource(ClusterOverviewService overview, ClusterRegistry registry, MeshService mesh) {
        this.overview = overview;
        this.registry = registry;
        this.mesh = mesh;
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

    @PUT
    @Path("/{name}/clustermesh")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response enable(
            @PathParam("name") String name,
            @QueryParam("dryRun") String dryRun,
            EnableRequest body,
            @Context ContainerRequestContext request) {
        return Mutations.respond(mesh.enable(
                PathNames.cluster(name), body, Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }

    @DELETE
    @Path("/{name}/clustermesh")
    public Response disable(
            @PathParam("name") String name,
            @QueryParam("force") String force,
            @QueryParam("dryRun") String dryRun,
            @Context ContainerRequestContext request) {
        return Mutations.respond(mesh.disable(
                PathNames.cluster(name),
                Mutations.flag(force, "force"),
                Mutations.flag(dryRun, "dryRun"),
                Mutations.caller(request)));
    }
}
