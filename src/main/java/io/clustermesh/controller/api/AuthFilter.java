package io.clustermesh.controller.api;

import io.clustermesh.controller.problems.ProblemType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bearer-token authorisation for {@code /api/*} ({@link Access} decides). Everything outside
 * {@code /api} (the page, {@code /q/*}) is public; the page signs in itself.
 */
public class AuthFilter {
    private final Access access;

    public AuthFilter(Access access) {
        this.access = access;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authorise(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        Access.Verdict verdict =
                access.decide(request.getMethod(), path, request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (verdict.caller() != null) {
            request.setProperty(Caller.REQUEST_PROPERTY, verdict.caller());
        }
        if (verdict.allowed()) {
            return Optional.empty();
        }
        Response.ResponseBuilder builder = Response.status(verdict.refusal().httpStatus())
                .type(Problem.MEDIA_TYPE)
                .entity(verdict.problem(path));
        if (verdict.refusal() == ProblemType.UNAUTHENTICATED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, Access.CHALLENGE);
        }
        return Optional.of(builder.build());
    }
}
