package io.clustermesh.controller.reachability;

import java.time.Instant;
import java.util.List;

/** The latest probe results for every ordered pair of managed clusters. */
public record ReachabilityMatrix(Instant checkedAt, boolean simulated, List<ReachabilityEntry> pairs) {
    public static final ReachabilityMatrix EMPTY = new ReachabilityMatrix(null, false, List.of());
}
