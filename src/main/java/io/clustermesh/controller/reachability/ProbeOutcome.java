package io.clustermesh.controller.reachability;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one probe of one endpoint found, wherever it ran (this service, a probe Pod, the probe
 * command in a network namespace). {@code latencyMs} is the TCP connect time when the connection
 * was made; {@code detail} is the technical cause (stage that timed out, TLS reason).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeOutcome(String result, Double latencyMs, String detail, List<ReachabilityEntry.Check> checks) {
    /** The vantage could not dial the endpoint to judge it: no verdict about the endpoint. */
    public static final String UNKNOWN = "unknown";

    public ProbeOutcome {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    public boolean ok() {
        return "ok".equals(result);
    }
}
