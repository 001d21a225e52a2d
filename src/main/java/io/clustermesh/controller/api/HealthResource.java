package io.clustermesh.controller.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/v1/health}: the cached report, 200 when healthy and 503 otherwise.
 * {@link HealthRoute} answers GET and HEAD before the REST layer sees them; this resource is the
 * endpoint's description in the OpenAPI document and serves the same document if reached.
 */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final HealthDocuments documents;

    public HealthResource(HealthDocuments documents) {
        this.documents = documents;
    }

    @GET
    public Response get() {
        HealthDocument document = documents.await(HealthRoute.FIRST_REFRESH_WAIT);
        return Response.status(document.status())
                .type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.ETAG, document.plain().etag())
                .entity(document.plain().body().getBytes())
                .build();
    }
}
