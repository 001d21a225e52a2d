package io.clustermesh.controller.api;

import io.clustermesh.controller.audit.BodySummary;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Keeps a redacted summary of a mutation's body for the audit trail. A body with a declared length
 * is already bounded ({@link OversizedBodyGuard}); a chunked one is bounded here, by reading at
 * most one byte more than the limit, so reading it whole is safe.
 */
@Provider
public class AuditBodyCapture implements ReaderInterceptor {
    static final String PROPERTY = AuditBodyCapture.class.getName();

    private final long limit;

    public AuditBodyCapture(OversizedBodyGuard guard) {
        this.limit = guard.limit();
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = context.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            throw new ProblemException(
                    ProblemType.PAYLOAD_TOO_LARGE, "request body is over the limit of " + limit + " bytes", "body");
        }
        context.setProperty(PROPERTY, BodySummary.of(body));
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}
