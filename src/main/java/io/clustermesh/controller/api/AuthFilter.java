package io.clustermesh.controller.api;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;
import java.util.Set;

/**
 * Bearer-token authorisation for {@code /api/*}: viewers may read, operators may also mutate.
 * Everything outside {@code /api} (the page, {@code /q/*}) is public; the page signs in itself.
 */
public class AuthFilter {
    private static final Set<String> READ_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String BEARER = "Bearer ";

    private final TokenRegistry tokens;
    private final MeshConfig config;

    public AuthFilter(TokenRegistry tokens, MeshConfig config) {
        this.tokens = tokens;
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authorise(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        boolean read = READ_METHODS.contains(request.getMethod());
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            if (read && config.auth().anonymousHealth() && path.equals("/api/v1/health")) {
                request.setProperty(Caller.REQUEST_PROPERTY, Caller.ANONYMOUS);
                return Optional.empty();
            }
            return Optional.of(deny(ProblemType.UNAUTHENTICATED, "send Authorization: Bearer <token>", path));
        }
        Optional<Caller> caller = tokens.authenticate(header.substring(BEARER.length()).trim());
        if (caller.isEmpty()) {
            return Optional.of(deny(ProblemType.UNAUTHENTICATED, "the bearer token is not valid", path));
        }
        request.setProperty(Caller.REQUEST_PROPERTY, caller.get());
        Role needed = read ? Role.VIEWER : Role.OPERATOR;
        if (!caller.get().role().allows(needed)) {
            return Optional.of(deny(ProblemType.FORBIDDEN, "this needs the " + needed.label() + " role; token '"
                    + caller.get().tokenName() + "' has " + caller.get().role().label(), path));
        }
        return Optional.empty();
    }

    private static Response deny(ProblemType type, String detail, String path) {
        Response.ResponseBuilder builder = Response.status(type.httpStatus()).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type.uri(), type.title(), type.httpStatus(), detail, null, path));
        if (type == ProblemType.UNAUTHENTICATED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"clustermesh-controller\"");
        }
        return builder.build();
    }
}
