package io.clustermesh.controller.wireguard;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/clusters/{name}/wireguard}: per node the public key's fingerprint (never a
 * key itself, never a private key), how old it is and when we last rotated it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WireGuardView(
        String cluster,
        boolean simulated,
        boolean wireguardEnabled,
        long maxAgeDays,
        List<NodeKey> nodes,
        Rotation rotation) {

    /**
     * @param keySince   since when this key is in use: our own rotation, when we first saw it, or
     *                   (never seen before) when the CiliumNode was created — an upper bound of its age
     * @param ageSource  {@code rotation}, {@code first-seen} or {@code node-created}
     * @param problem    why the published key is unusable (missing, malformed, all zeroes, shared)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeKey(
            String node,
            String fingerprint,
            Instant keySince,
            Long keyAgeSeconds,
            Long keyAgeDays,
            String ageSource,
            Instant lastRotation,
            boolean due,
            boolean rotating,
            String problem) {}

    /** An unfinished rotation recorded in the cluster. */
    public record Rotation(
            String operation, List<String> nodes, List<String> done, String current, Instant startedAt) {}
}
