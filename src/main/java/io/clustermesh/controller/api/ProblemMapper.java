package io.clustermesh.controller.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.clustermesh.controller.problems.GitOpsManagedException;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where failures become RFC 9457 problem documents. */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    /** The field named when the request body as a whole is at fault. */
    static final String BODY = "body";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        if (e instanceof GitOpsManagedException gitops) {
            Problem body = new Problem(
                    e.type().uri(),
                    e.type().title(),
                    e.type().httpStatus(),
                    e.getMessage(),
                    e.field(),
                    uri.getPath(),
                    gitops.values());
            return Response.status(e.type().httpStatus())
                    .type(Problem.MEDIA_TYPE)
                    .entity(body)
                    .build();
        }
        return respond(e.type(), e.getMessage(), e.field(), uri);
    }

    @ServerExceptionMapper
    public Response unrecognizedField(UnrecognizedPropertyException e, UriInfo uri) {
        return respond(ProblemType.INVALID_INPUT, "unknown field '" + e.getPropertyName() + "'", fieldPath(e), uri);
    }

    @ServerExceptionMapper
    public Response badJson(JsonMappingException e, UriInfo uri) {
        String field = fieldPath(e);
        String detail = field == null
                ? "request body is not the expected JSON"
                : "field '" + field + "' has the wrong type or value";
        return respond(ProblemType.INVALID_INPUT, detail, field == null ? BODY : field, uri);
    }

    /** More specific than the framework's own mapper for these, which would answer plain JSON. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return badJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unparsableJsonSyntax(JsonParseException e, UriInfo uri) {
        return unparsableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unparsableJson(JsonProcessingException e, UriInfo uri) {
        return respond(ProblemType.INVALID_INPUT, "request body is not valid JSON", BODY, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        ProblemType type = switch (status) {
            case 401 -> ProblemType.UNAUTHENTICATED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.INVALID_INPUT;
        };
        String detail = status == 404 ? "no such resource" : safeWebMessage(e, status);
        // The framework's own 400 and 413 are about the request body (our parameters are plain strings).
        String field = status == 400 || status == 413 ? BODY : null;
        Problem body = new Problem(type.uri(), type.title(), status, detail, field, uri.getPath());
        Response.ResponseBuilder answer =
                Response.status(status).type(Problem.MEDIA_TYPE).entity(body);
        // RFC 9110 §15.5.6: a 405 lists the methods the resource has; the framework computed them.
        String allow = e.getResponse().getHeaderString(jakarta.ws.rs.core.HttpHeaders.ALLOW);
        if (allow == null && status == 405) {
            allow = AllowedMethods.forPath(uri.getPath());
        }
        if (status == 405 && allow != null) {
            answer.header(jakarta.ws.rs.core.HttpHeaders.ALLOW, allow);
        }
        return answer.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        // Only the type: messages of arbitrary exceptions may carry request or object content.
        LOG.errorf(
                "incident %s on %s: %s",
                incident,
                io.clustermesh.controller.audit.AuditValues.clean(uri.getPath()),
                e.getClass().getName());
        LOG.debugf(e, "incident %s", incident);
        return respond(ProblemType.INTERNAL, "unexpected error; incident " + incident, null, uri);
    }

    static Response respond(ProblemType type, String detail, String field, UriInfo uri) {
        Problem body = new Problem(
                type.uri(), type.title(), type.httpStatus(), detail, field, uri == null ? null : uri.getPath());
        return Response.status(type.httpStatus())
                .type(Problem.MEDIA_TYPE)
                .entity(body)
                .build();
    }

    private static String safeWebMessage(WebApplicationException e, int status) {
        return switch (status) {
            case 405 -> "method not allowed on this resource";
            case 406 -> "cannot produce the requested media type";
            case 415 -> "unsupported media type; send application/json";
            case 413 -> "request body too large";
            default -> "request not accepted (HTTP " + status + ")";
        };
    }

    private static String fieldPath(JsonMappingException e) {
        if (e.getPath() == null || e.getPath().isEmpty()) {
            return null;
        }
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
