package io.clustermesh.controller.api;

import io.clustermesh.controller.certificates.CertificateService;
import io.clustermesh.controller.wireguard.WireGuardRotationService;
import io.clustermesh.controller.wireguard.WireGuardView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** WireGuard node keys and ClusterMesh certificates of one cluster: what they are, and their rotation. */
@Path("/api/v1/clusters/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class RotationResource {

    private final WireGuardRotationService wireGuard;
    private final CertificateService certificates;

    public RotationResource(WireGuardRotationService wireGuard, CertificateService certificates) {
        this.wireGuard = wireGuard;
        this.certificates = certificates;
    }

    @GET
    @Path("/wireguard")
    public WireGuardView wireGuard(@PathParam("name") String name) {
        return wireGuard.view(PathNames.cluster(name));
    }

    @POST
    @Path("/wireguard/rotations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rotateWireGuard(
            @PathParam("name") String name,
            @QueryParam("dryRun") String dryRun,
            WireGuardRotationService.RotationRequest body,
            @Context ContainerRequestContext request) {
        return Mutations.respond(wireGuard.rotate(
                PathNames.cluster(name), body, Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }

    @GET
    @Path("/certificates")
    public CertificateService.CertificatesView certificates(@PathParam("name") String name) {
        return certificates.view(PathNames.cluster(name));
    }

    @POST
    @Path("/certificates/rotations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rotateCertificates(
            @PathParam("name") String name,
            @QueryParam("dryRun") String dryRun,
            CertificateService.RotationRequest body,
            @Context ContainerRequestContext request) {
        return Mutations.respond(certificates.rotate(
                PathNames.cluster(name), body, Mutations.flag(dryRun, "dryRun"), Mutations.caller(request)));
    }
}
