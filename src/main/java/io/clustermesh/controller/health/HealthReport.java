package io.clustermesh.controller.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.clustermesh.controller.health.spi.Check;
import io.clustermesh.controller.health.spi.Expiry;
import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /api/v1/health} (shared/api.md, "Health") and the body of a check
 * run. {@code simulated} is there because everything about a simulated cluster says so.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthReport(
        HealthStatus status,
        Instant checkedAt,
        List<ClusterHealth> clusters,
        List<LinkHealth> links,
        List<Expiry> expiries) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterHealth(String name, HealthStatus status, boolean simulated, List<Check> checks) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LinkHealth(
            String a, String b, HealthStatus status, boolean simulated, String reason, String hint, Double latencyMs) {}
}
