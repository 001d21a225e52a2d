package io.clustermesh.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.audit.AuditEntry;
import io.clustermesh.controller.audit.AuditLog;
import io.clustermesh.controller.audit.AuditValues;
import io.clustermesh.controller.audit.RefusedRequests;
import io.clustermesh.controller.problems.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} is refused before it is
 * read, with the same problem document as every other refusal and an audit entry: otherwise the
 * HTTP layer answers a bare 413 that neither clients nor the audit trail would see as ours.
 *
 * <p>A chunked body declares no length. The framework would count it while it is read and, once
 * over the limit, end the response with a bare 413 of its own and fail the request (which the
 * audit then saw as a 500). For {@code /api/} requests without a length the framework's count is
 * therefore switched off and {@link AuditBodyCapture} reads the body against {@link #limit()}
 * instead, refusing it with the same problem as here.
 */
@ApplicationScoped
public class OversizedBodyGuard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEARER = "Bearer ";
    /** Where the HTTP layer leaves the limit for a body without a length (read by the REST layer's input stream). */
    private static final String FRAMEWORK_LIMIT_KEY = "io.quarkus.max-request-size";

    private final long limit;
    private final AuditLog audit;
    private final RefusedRequests refused;
    private final TokenRegistry tokens;
    private final Clock clock;

    public OversizedBodyGuard(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit,
            AuditLog audit,
            RefusedRequests refused,
            TokenRegistry tokens,
            Clock clock) {
        this.limit = limit.asLongValue();
        this.audit = audit;
        this.refused = refused;
        this.tokens = tokens;
        this.clock = clock;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
        router.route("/api/*")
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1)
                .handler(this::countUnsizedBodyOurselves);
    }

    /** The largest body accepted, in bytes. */
    public long limit() {
        return limit;
    }

    private void countUnsizedBodyOurselves(RoutingContext context) {
        if (context.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            context.remove(FRAMEWORK_LIMIT_KEY);
        }
        context.next();
    }

    private void check(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length <= limit) {
            context.next();
            return;
        }
        ProblemType type = ProblemType.PAYLOAD_TOO_LARGE;
        String path = context.request().path();
        Problem problem = new Problem(
                type.uri(),
                type.title(),
                type.httpStatus(),
                "request body of " + length + " bytes is over the limit of " + limit + " bytes",
                "body",
                path);
        if (path.startsWith("/api/")) {
            String who = caller(context);
            if (AuditFilter.refusedAtTheDoor(type.httpStatus(), who)) {
                refused.count(type.httpStatus(), context.request().method().name(), path);
            } else {
                audit.record(new AuditEntry(
                        clock.instant(),
                        who,
                        context.request().method().name(),
                        null,
                        AuditValues.clean(path),
                        AuditValues.query(context.request().query()),
                        "<" + length + " bytes, not read>",
                        null,
                        type.httpStatus(),
                        type.uri(),
                        null));
            }
        }
        try {
            context.response()
                    .setStatusCode(type.httpStatus())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(JSON.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            context.response().setStatusCode(type.httpStatus()).end();
        }
    }

    private String caller(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return AuditFilter.UNAUTHENTICATED;
        }
        return tokens.authenticate(header.substring(BEARER.length()).trim())
                .map(Caller::tokenName)
                .orElse(AuditFilter.UNAUTHENTICATED);
    }
}
