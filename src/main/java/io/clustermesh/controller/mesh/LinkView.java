package io.clustermesh.controller.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;

/**
 * An unordered pair of clusters with the status of each direction (API contract, "Links").
 * {@code clusters} (both ends' ClusterMesh state) is filled only when one link is asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkView(
        String a, String b, String status, boolean simulated, List<Direction> directions, List<ClusterView> clusters) {

    public LinkView withClusters(List<ClusterView> ends) {
        return new LinkView(a, b, status, simulated, directions, ends);
    }

    /**
     * What the agents (and, with KVStoreMesh, the local kvstoremesh) of {@code from} report about {@code to}.
     *
     * @param agentsTotal       agents expected: the nodes the cilium DaemonSet targets, or the agent pods when it is unreadable
     * @param source            where the verdict came from: {@code metrics} (agent :9962), {@code agent-status}
     *                          ({@code cilium-dbg status -o json}), {@code kvstoremesh-metrics} or {@code kvstoremesh-status}
     *                          (KVStoreMesh decided: its link to the remote is what failed)
     * @param nodesWithoutAgent nodes that should run an agent but have no ready one; they count against readiness
     * @param dataPlane         whether pods of {@code from} reach pods of {@code to}; {@code status} is the control plane
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Direction(
            String from,
            String to,
            DirectionStatus status,
            int agentsReady,
            int agentsTotal,
            String reason,
            String hint,
            Double latencyMs,
            Instant checkedAt,
            String source,
            List<String> nodesWithoutAgent,
            DataPlane dataPlane) {

        public Direction(
                String from,
                String to,
                DirectionStatus status,
                int agentsReady,
                int agentsTotal,
                String reason,
                String hint,
                Double latencyMs,
                Instant checkedAt) {
            this(from, to, status, agentsReady, agentsTotal, reason, hint, latencyMs, checkedAt, null, null, null);
        }

        Direction withDataPlane(DataPlane verdict) {
            return new Direction(
                    from,
                    to,
                    status,
                    agentsReady,
                    agentsTotal,
                    reason,
                    hint,
                    latencyMs,
                    checkedAt,
                    source,
                    nodesWithoutAgent,
                    verdict);
        }

        public boolean ready() {
            return status == DirectionStatus.READY;
        }

        public boolean dataPlaneOk() {
            return dataPlane != null && "ok".equals(dataPlane.state());
        }
    }

    /**
     * The data-plane verdict of one direction (contract dataplane.md §7).
     *
     * @param state       {@code ok}, {@code control-plane-only} (the control plane works, no remote node answers:
     *                    the NAT/port-forward case), {@code broken} or {@code unknown} (never ok without an observation)
     * @param source      {@code cilium-health}: the agents' own node probes
     * @param remediation what to do, null when ok
     * @param tailnet     which remote node addresses the tailnet carries, when a Tailscale API credential is configured
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataPlane(
            String state,
            String source,
            List<Reason> reasons,
            String remediation,
            io.clustermesh.controller.tailscale.RouteCoverage tailnet) {
        public DataPlane(String state, String source, List<Reason> reasons, String remediation) {
            this(state, source, reasons, remediation, null);
        }

        DataPlane withTailnet(io.clustermesh.controller.tailscale.RouteCoverage coverage) {
            return new DataPlane(state, source, reasons, remediation, coverage);
        }
    }

    /** The control plane of one direction, as the API spells it. */
    public enum DirectionStatus {
        /** Every agent (and KVStoreMesh) of {@code from} reports {@code to} ready. */
        READY("ready"),
        /** {@code from} answered and something is not ready; the reason says what. */
        NOT_READY("not-ready"),
        /** {@code from} did not answer: nothing is known. */
        UNKNOWN("unknown");

        private final String value;

        DirectionStatus(String value) {
            this.value = value;
        }

        @JsonValue
        public String value() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** A stable code and its text. */
    public record Reason(String code, String message) {}
}
