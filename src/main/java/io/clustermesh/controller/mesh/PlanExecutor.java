package io.clustermesh.controller.mesh;

import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.operations.OperationContext;
import org.jboss.logging.Logger;

/** Applies a plan's changes in order; the first failure stops the run, and re-running converges. */
final class PlanExecutor {
    private static final Logger LOG = Logger.getLogger(PlanExecutor.class);

    private PlanExecutor() {}

    static void apply(Plan plan, ClusterRegistry registry, OperationContext operation) {
        for (PlannedChange change : plan.changes()) {
            String step = change.stepName();
            operation.start(step);
            try {
                var gateway = registry.require(change.cluster()).gateway();
                if (change.action() == PlannedChange.Action.delete) {
                    gateway.delete(change.type(), change.namespace(), change.name());
                } else {
                    gateway.apply(change.desired());
                }
                operation.succeed(step, change.summary());
                LOG.infof(
                        "operation %s cluster %s: %s %s %s",
                        operation.operationId(), change.cluster(), change.action(), change.kind(), change.name());
            } catch (RuntimeException e) {
                operation.fail(step, e.getMessage());
                throw e;
            }
        }
    }
}
