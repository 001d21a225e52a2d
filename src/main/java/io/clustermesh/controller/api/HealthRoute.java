package io.clustermesh.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.problems.ProblemType;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /api/v1/health} served straight from Vert.x on the event loop: the cached bytes of
 * the current snapshot, after the same authorisation as every {@code /api} route, without the
 * REST layer's per-request work (routing, filters, a worker-thread hop, serialisation). Pollers
 * may send {@code If-None-Match} with the last ETag and get {@code 304} while nothing changed;
 * clients that accept gzip get the bytes gzipped once per snapshot.
 */
@ApplicationScoped
public class HealthRoute {
    /** Only before the very first refresh has finished does a request wait, and not longer than this. */
    static final Duration FIRST_REFRESH_WAIT = Duration.ofSeconds(10);

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence VARY = HttpHeaders.createOptimized("Accept-Encoding");
    private static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");
    private static final CharSequence PROBLEM_JSON = HttpHeaders.createOptimized(Problem.MEDIA_TYPE);

    private final Access access;
    private final HealthDocuments documents;
    private final ObjectMapper json;

    public HealthRoute(Access access, HealthDocuments documents, ObjectMapper json) {
        this.access = access;
        this.documents = documents;
        this.json = json;
    }

    void install(@Observes Router router) {
        // Ahead of the REST layer's routes, which would otherwise answer this path through HealthResource.
        router.route(Access.HEALTH_PATH)
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .method(HttpMethod.GET)
                .method(HttpMethod.HEAD)
                .handler(this::serve);
    }

    private void serve(RoutingContext context) {
        Access.Verdict verdict = access.decide(
                context.request().method().name(),
                Access.HEALTH_PATH,
                context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (!verdict.allowed()) {
            refuse(context, verdict);
            return;
        }
        Optional<HealthDocument> document = documents.now();
        if (document.isPresent()) {
            send(context, document.get());
            return;
        }
        context.vertx()
                .executeBlocking(() -> documents.await(FIRST_REFRESH_WAIT), false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        send(context, done.result());
                    } else {
                        context.fail(done.cause());
                    }
                });
    }

    private static void send(RoutingContext context, HealthDocument document) {
        HealthDocument.Representation representation =
                document.forEncodings(context.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
        HttpServerResponse response = context.response()
                .putHeader(HttpHeaders.ETAG, representation.etag())
                .putHeader(HttpHeaders.VARY, VARY);
        // A precondition applies only where the unconditional answer is 2xx (RFC 9110 13.2.1): a 503 always comes in
        // full.
        if (document.status() == 200
                && HealthDocument.matches(
                        context.request().getHeader(HttpHeaders.IF_NONE_MATCH), representation.etag())) {
            response.setStatusCode(304).end();
            return;
        }
        if (representation == document.gzipped()) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, GZIP);
        }
        response.setStatusCode(document.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        if (context.request().method() == HttpMethod.HEAD) {
            // HEAD announces the length a GET would get (RFC 9110 9.3.2) without sending the body.
            response.putHeader(
                            HttpHeaders.CONTENT_LENGTH,
                            Integer.toString(representation.body().length()))
                    .end();
        } else {
            response.end(representation.body());
        }
    }

    private void refuse(RoutingContext context, Access.Verdict verdict) {
        HttpServerResponse response = context.response()
                .setStatusCode(verdict.refusal().httpStatus())
                .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON);
        if (verdict.refusal() == ProblemType.UNAUTHENTICATED) {
            response.putHeader("WWW-Authenticate", Access.CHALLENGE);
        }
        try {
            response.end(json.writeValueAsString(verdict.problem(Access.HEALTH_PATH)));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }
}
