package io.clustermesh.controller.reachability;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One ordered pair of the matrix: can {@code from} reach {@code to}'s clustermesh-apiserver at the
 * endpoint {@code to} is dialled at.
 *
 * @param vantage {@code service} (dialled from where this service runs) or {@code remote} (from a
 *     probe Pod in {@code from}) or {@code simulated}
 * @param result {@code ok}, {@code timeout}, {@code refused}, {@code tls-error}, {@code wrong-cluster},
 *     {@code unresolved}, {@code failed}, {@code no-endpoint}, {@code unknown}
 * @param path {@code direct}, {@code port-forward}, {@code derp:REGION} (null when nothing answered)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReachabilityEntry(
        String from,
        String to,
        String mode,
        String endpoint,
        String vantage,
        ProbeVerdict result,
        Double latencyMs,
        String path,
        Instant checkedAt,
        String reason,
        String hint,
        boolean simulated,
        List<Check> checks) {

    /** One step of a probe: {@code tcp}, {@code tls}, {@code kvstore}, {@code tailscale-device}, {@code tailscale-path}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(String name, String result, Double latencyMs, String detail) {}

    public boolean ok() {
        return result == ProbeVerdict.OK;
    }
}
