package io.clustermesh.controller.api;

import io.clustermesh.controller.mesh.EnableRequest;
import io.clustermesh.controller.mesh.MeshService;
import io.clustermesh.controller.problems.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
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

@Path("/api/v1/mesh")
@Produces(MediaType.APPLICATION_JSON)
public class MeshResource {

    public record ConnectRequest(List<String> clusters) {
    }

    private final MeshService mesh;

    public MeshResource(MeshService mesh) {
        this.mesh = mesh;
    }

    @PUT
    @Path("/clusters/{name}/clustermesh")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response enable(@PathParam("name") String name, @QueryParam("dryRun") String dryRun, EnableRequest body,
                           @Context ContainerRequestContext request) {
        return Mutations.respond(mesh.enable(PathNames.cluster(name), body, Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }

    @DELETE
    @Path("/clusters/{name}/clustermesh")
    public Response disable(@PathParam("name") String name, @QueryParam("force") String force, @QueryParam("dryRun") String dryRun,
                            @Context ContainerRequestContext request) {
        return Mutations.respond(mesh.disable(PathNames.cluster(name), Mutations.flag(force, "force"),
                Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }

    @PUT
    @Path("/links/{a}/{b}")
    public Response connect(@PathParam("a") String a, @PathParam("b") String b, @QueryParam("dryRun") String dryRun,
                            @Context ContainerRequestContext request) {
        String first = PathNames.cluster(a, "a");
        String second = PathNames.cluster(b, "b");
        if (first.equals(second)) {
            throw ProblemException.invalid("b", "a cluster cannot be linked to itself");
        }
        return Mutations.respond(mesh.connect(List.of(first, second), Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }

    @DELETE
    @Path("/links/{a}/{b}")
    public Response disconnect(@PathParam("a") String a, @PathParam("b") String b, @QueryParam("dryRun") String dryRun,
                               @Context ContainerRequestContext request) {
        return Mutations.respond(mesh.disconnect(PathNames.cluster(a, "a"), PathNames.cluster(b, "b"),
                Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }

    @POST
    @Path("/connect")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response connectMesh(ConnectRequest body, @QueryParam("dryRun") String dryRun, @Context ContainerRequestContext request) {
        if (body == null || body.clusters() == null) {
            throw ProblemException.invalid("clusters", "send {\"clusters\": [\"a\", \"b\", ...]}");
        }
        List<String> names = body.clusters().stream().map(n -> PathNames.cluster(n, "clusters")).toList();
        return Mutations.respond(mesh.connect(names, Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }
}
