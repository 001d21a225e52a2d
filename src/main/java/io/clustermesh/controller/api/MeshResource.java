package io.clustermesh.controller.api;

import io.clustermesh.controller.mesh.MeshService;
import io.clustermesh.controller.problems.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The full-mesh connect; pairs and single clusters have their own resources (links, clusters). */
@Path("/api/v1/mesh")
@Produces(MediaType.APPLICATION_JSON)
public class MeshResource {

    public record ConnectRequest(List<String> clusters) {}

    private final MeshService mesh;

    public MeshResource(MeshService mesh) {
        this.mesh = mesh;
    }

    @POST
    @Path("/connect")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response connectMesh(
            ConnectRequest body, @QueryParam("dryRun") String dryRun, @Context ContainerRequestContext request) {
        if (body == null || body.clusters() == null) {
            throw ProblemException.invalid("clusters", "send {\"clusters\": [\"a\", \"b\", ...]}");
        }
        List<String> names = body.clusters().stream()
                .map(n -> PathNames.cluster(n, "clusters"))
                .toList();
        return Mutations.respond(mesh.connect(names, Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }
}
