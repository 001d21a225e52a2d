package io.clustermesh.controller.wireguard;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.config.RotationConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.mesh.MutationResult;
import io.clustermesh.controller.operations.Operation;
import io.clustermesh.controller.operations.OperationContext;
import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.operations.PlanExecutor;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * WireGuard node keys: what each node publishes, how old it is ({@link WireGuardKeyReader}), and the
 * rolling rotation of contract §10 — planned by {@link WireGuardRotationPlanner} from one snapshot
 * read under the cluster's lock, run by the one {@link PlanExecutor}; a dry run is that plan.
 */
@ApplicationScoped
public class WireGuardRotationService {
    public static final String KIND = WireGuardRotationPlanner.KIND;

    /** Optional body of {@code POST .../wireguard/rotations}. */
    public record RotationRequest(List<String> nodes, Integer maxUnavailable) {}

    /** One node's key age, for health and the scheduler. */
    public record NodeKeyAge(
            String cluster,
            String node,
            String fingerprint,
            Instant keySince,
            Long keyAgeDays,
            boolean due,
            String problem) {}

    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final OperationService operations;
    private final PlanExecutor executor;
    private final WireGuardKeyReader keys;
    private final String namespace;
    private final WireGuardRotationPlanner planner;

    public WireGuardRotationService(
            ClusterRegistry registry,
            FanOut fanOut,
            OperationService operations,
            PlanExecutor executor,
            WireGuardKeyReader keys,
            Clock clock,
            MeshConfig meshConfig,
            RotationConfig config) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.operations = operations;
        this.executor = executor;
        this.keys = keys;
        this.namespace = meshConfig.namespace();
        RotationConfig.WireGuard timing = config.wireguard();
        this.planner = new WireGuardRotationPlanner(
                namespace, timing, new RotationConditions(fanOut, namespace, timing.execTimeout(), clock));
    }

    public WireGuardView view(String clusterName) {
        return keys.view(clusterName);
    }

    /** Every managed cluster's node keys (unreachable clusters are left out); for health and the scheduler. */
    public List<NodeKeyAge> keyAges() {
        return keys.keyAges();
    }

    /** Records keys seen for the first time, so their age is known from now on (the scheduler calls this). */
    public void observe(String clusterName) {
        keys.observe(clusterName);
    }

    public MutationResult rotate(String clusterName, RotationRequest request, boolean dryRun, String caller) {
        WireGuardRotationPlanner.validate(request);
        ManagedCluster cluster = registry.require(clusterName);
        // The lock comes before the reads, so the plan (and the resume point) cannot be stale (issue 15).
        try (var reservation =
                dryRun ? null : operations.reserve(KIND, cluster.name(), caller, List.of(cluster.name()))) {
            List<ManagedCluster> others = registry.clusters().stream()
                    .filter(c -> !c.name().equals(cluster.name()))
                    .toList();
            RotationSnapshot snapshot = RotationSnapshot.read(cluster, others, fanOut, namespace);
            var rotation = planner.plan(snapshot, request, reservation == null ? null : reservation.id());
            if (reservation == null) {
                return new MutationResult.Planned(rotation.plan());
            }
            var operation =
                    operations.start(reservation, rotation.plan().warnings(), op -> run(cluster.name(), rotation, op));
            return new MutationResult.Started(operation, rotation.plan());
        }
    }

    /** Runs the plan; a stop names the node it stopped at, the nodes left untouched, and how to resume. */
    private void run(String cluster, WireGuardRotationPlanner.Rotation rotation, OperationContext op) {
        try {
            executor.run(rotation.plan(), op);
        } catch (ProblemException e) {
            String node = operations.find(op.operationId()).map(Operation::steps).orElse(List.of()).stream()
                    .filter(s -> "failed".equals(s.state()))
                    .map(s -> rotation.nodeOfStep().get(s.name()))
                    .findFirst()
                    .orElse(null);
            if (node == null) {
                throw e;
            }
            List<String> nodes = rotation.nodes();
            List<String> untouched = nodes.subList(nodes.indexOf(node) + 1, nodes.size());
            String detail = "rotation of " + cluster + " stopped at node " + node + ": " + e.getMessage()
                    + (untouched.isEmpty() ? "" : "; untouched: " + String.join(", ", untouched))
                    + "; fix the cause and POST the rotation again to resume at " + node;
            throw new ProblemException(
                    e.type() == ProblemType.DUPLICATE_WIREGUARD_KEY ? e.type() : ProblemType.ROTATION_STOPPED, detail);
        }
    }
}
