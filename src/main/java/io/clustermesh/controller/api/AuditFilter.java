package io.clustermesh.controller.api;

import io.clustermesh.controller.audit.AuditEntry;
import io.clustermesh.controller.audit.AuditLog;
import io.clustermesh.controller.audit.AuditValues;
import io.clustermesh.controller.audit.BodySummary;
import io.clustermesh.controller.audit.RefusedRequests;
import io.clustermesh.controller.operations.Operation;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records every request that may change something ({@code /api/*}, any method but GET, HEAD and
 * OPTIONS) once its response is known, so an operator's refused attempts (4xx, 409) and dry runs
 * are in the trail as well as the operations started. Requests refused at the door (401, 403, or
 * from no known caller) only count (see {@link RefusedRequests}): they cannot flood the trail. Sitting on the response path means a new route is
 * covered without anyone remembering to add it.
 */
public class AuditFilter {
    private static final Logger LOG = Logger.getLogger(AuditFilter.class);

    private final AuditLog log;
    private final RefusedRequests refused;
    private final Clock clock;

    public AuditFilter(AuditLog log, RefusedRequests refused, Clock clock) {
        this.log = log;
        this.refused = refused;
        this.clock = clock;
    }

    /** Refused before the caller was known to be allowed: counted, never kept (see {@link RefusedRequests}). */
    static boolean refusedAtTheDoor(int status, String who) {
        return status == 401 || status == 403 || UNAUTHENTICATED.equals(who);
    }

    static final String UNAUTHENTICATED = "unauthenticated";

    static boolean audited(ContainerRequestContext request) {
        return !Access.isRead(request.getMethod())
                && request.getUriInfo().getPath().startsWith("/api/");
    }

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        if (!audited(request)) {
            return;
        }
        String who = Caller.of(request).map(Caller::tokenName).orElse(UNAUTHENTICATED);
        if (refusedAtTheDoor(response.getStatus(), who)) {
            refused.count(
                    response.getStatus(),
                    request.getMethod(),
                    request.getUriInfo().getPath());
            return;
        }
        BodySummary body =
                request.getProperty(AuditBodyCapture.PROPERTY) instanceof BodySummary b ? b : BodySummary.NONE;
        String problem = response.getEntity() instanceof Problem p ? p.type() : null;
        String operation = response.getEntity() instanceof Operation op ? op.id() : null;
        String bodyText = body.text() != null ? body.text() : unreadBody(request);
        String query = AuditValues.query(request.getUriInfo().getRequestUri().getRawQuery());
        AuditEntry entry = new AuditEntry(
                clock.instant(),
                AuditValues.clean(who),
                request.getMethod(),
                route(resource),
                AuditValues.clean(request.getUriInfo().getPath()),
                query,
                AuditValues.clean(bodyText),
                AuditValues.clean(target(request, body)),
                response.getStatus(),
                problem,
                operation);
        log.record(entry);
        LOG.infof(
                "audit: %s %s %s by %s -> %d%s",
                entry.method(),
                entry.path(),
                entry.target() == null ? "" : "(" + entry.target() + ")",
                who,
                entry.status(),
                problem == null ? "" : " " + problem);
    }

    private static String unreadBody(ContainerRequestContext request) {
        int length = request.getLength();
        return length > 0 ? "<" + length + " bytes, not read>" : null;
    }

    private static String target(ContainerRequestContext request, BodySummary body) {
        List<String> names = new ArrayList<>();
        request.getUriInfo().getPathParameters().values().forEach(names::addAll);
        names.addAll(body.clusters());
        return names.isEmpty() ? null : String.join(",", names);
    }

    /** The route template ({@code /api/v1/links/{a}/{b}}), or null when no route matched. */
    private static String route(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        Path classPath = resource.getResourceClass().getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        return (classPath == null ? "" : classPath.value()) + (methodPath == null ? "" : methodPath.value());
    }
}
