package io.clustermesh.controller.audit;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Keeps a redacted summary of a mutation's body for the audit trail. The body is already bounded
 * by {@code quarkus.http.limits.max-body-size}, so reading it whole here is safe.
 */
@Provider
public class AuditBodyCapture implements ReaderInterceptor {
    static final String PROPERTY = AuditBodyCapture.class.getName();

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = context.getInputStream().readAllBytes();
        context.setProperty(PROPERTY, BodySummary.of(body));
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}
