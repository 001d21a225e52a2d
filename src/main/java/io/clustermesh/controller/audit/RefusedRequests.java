package io.clustermesh.controller.audit;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Mutation attempts refused before anyone was known to be allowed (401, 403, and 413 from an
 * unknown caller). They are counted ({@code clustermesh_audit_refused_total{status}}) and logged
 * as a sample, at most one line per interval, and never enter the durable trail: 10,200 anonymous
 * requests once evicted every operator entry from it (issue 15).
 */
@ApplicationScoped
public class RefusedRequests {
    private static final Logger LOG = Logger.getLogger(RefusedRequests.class);
    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(10);

    private final MeterRegistry metrics;
    private final Clock clock;
    private final Map<Integer, Long> sinceLastLine = new TreeMap<>();
    private Instant lastLine = Instant.EPOCH;

    public RefusedRequests(MeterRegistry metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    public void count(int status, String method, String path) {
        metrics.counter("clustermesh.audit.refused", "status", String.valueOf(status))
                .increment();
        String line = null;
        synchronized (this) {
            sinceLastLine.merge(status, 1L, Long::sum);
            Instant now = clock.instant();
            if (!now.isBefore(lastLine.plus(SAMPLE_INTERVAL))) {
                line = "refused mutation attempts since the last sample " + sinceLastLine + " (by status); latest: "
                        + AuditValues.clean(method) + " " + AuditValues.clean(path);
                sinceLastLine.clear();
                lastLine = now;
            }
        }
        if (line != null) {
            LOG.info(line);
        }
    }
}
