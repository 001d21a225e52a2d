package io.clustermesh.controller.api;

import io.clustermesh.controller.mesh.ClusterOverviewService;
import io.clustermesh.controller.mesh.LinkStatusService;
import io.clustermesh.controller.mesh.LinkView;
import io.clustermesh.controller.mesh.MeshService;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
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

@Path("/api/v1/links")
@Produces(MediaType.APPLICATION_JSON)
public class LinksResource {
    private final LinkStatusService links;
    private final ClusterOverviewService clusters;
    private final MeshService mesh;

    public LinksResource(LinkStatusService links, ClusterOverviewService clusters, MeshService mesh) {
        this.links = links;
        this.clusters = clusters;
        this.mesh = mesh;
    }

    @GET
    public List<LinkView> all() {
        return links.links();
    }

    @GET
    @Path("/{a}/{b}")
    public LinkView one(@PathParam("a") String a, @PathParam("b") String b) {
        String first = PathNames.cluster(a, "a");
        String second = PathNames.cluster(b, "b");
        return links.link(first, second)
                .map(link -> link.withClusters(List.of(clusters.one(link.a()), clusters.one(link.b()))))
                .orElseThrow(() -> new ProblemException(
                        ProblemType.NOT_FOUND,
                        "no link between " + first + " and " + second + "; connect them with PUT /api/v1/links/" + first
                                + "/" + second));
    }

    @PUT
    @Path("/{a}/{b}")
    public Response connect(
            @PathParam("a") String a,
            @PathParam("b") String b,
            @QueryParam("dryRun") String dryRun,
            @Context ContainerRequestContext request) {
        String first = PathNames.cluster(a, "a");
        String second = PathNames.cluster(b, "b");
        if (first.equals(second)) {
            throw ProblemException.invalid("b", "a cluster cannot be linked to itself");
        }
        return Mutations.respond(
                mesh.connect(List.of(first, second), Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }

    @DELETE
    @Path("/{a}/{b}")
    public Response disconnect(
            @PathParam("a") String a,
            @PathParam("b") String b,
            @QueryParam("dryRun") String dryRun,
            @Context ContainerRequestContext request) {
        return Mutations.respond(mesh.disconnect(
                PathNames.cluster(a, "a"),
                PathNames.cluster(b, "b"),
                Mutations.flag(dryRun, "dryRun"),
                Mutations.caller(request)));
    }
}
