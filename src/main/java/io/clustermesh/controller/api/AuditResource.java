package io.clustermesh.controller.api;

import io.clustermesh.controller.audit.AuditEntry;
import io.clustermesh.controller.audit.AuditLog;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The audit trail, newest first. Operators only: it names who did what to which cluster. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    public record AuditTrail(List<AuditEntry> entries, int kept) {}

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    public AuditTrail recent(
            @QueryParam("limit") @DefaultValue("100") String limit, @Context ContainerRequestContext request) {
        Caller caller = Caller.of(request).orElse(Caller.ANONYMOUS);
        if (caller.role() == null || !caller.role().allows(Role.OPERATOR)) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN,
                    "the audit trail needs the operator role; token '" + caller.tokenName() + "' has "
                            + (caller.role() == null ? "none" : caller.role().label()));
        }
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("limit", "limit must be a whole number");
        }
        if (n < 1 || n > log.capacity()) {
            throw ProblemException.invalid("limit", "limit must be between 1 and " + log.capacity());
        }
        return new AuditTrail(log.recent(n), log.capacity());
    }
}
