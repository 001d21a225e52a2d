package io.clustermesh.controller.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * Who the presented token belongs to, so the admin page can show operator actions only to
 * operators instead of offering buttons that would answer 403. Names the token, never shows it.
 */
@Path("/api/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
public class WhoamiResource {

    public record Whoami(String name, String role) {}

    @GET
    public Whoami whoami(@Context ContainerRequestContext request) {
        Caller caller = (Caller) request.getProperty(Caller.REQUEST_PROPERTY);
        return new Whoami(
                caller.tokenName(), caller.role() == null ? null : caller.role().label());
    }
}
