package io.clustermesh.controller.mesh;

import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.operations.OperationContext;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.tailscale.TailscaleExposure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * After connect wrote Tailscale egress Services, waits for the operator's {@code TailscaleProxyReady}
 * on each (tailscale.md §11): until then the kvstoremesh entry points at a name with no proxy
 * behind it. {@code ProxyInvalid} is the operator refusing the Service: no point in waiting.
 */
final class TailscaleEgressWait {
    static final String STEP = "wait for Tailscale egress proxies";

    private final ClusterRegistry registry;
    private final Duration timeout;

    TailscaleEgressWait(ClusterRegistry registry, Duration timeout) {
        this.registry = registry;
        this.timeout = timeout;
    }

    void await(Plan plan, OperationContext op) {
        List<PlannedChange> egress = plan.changes().stream()
                .filter(c -> c.action() != PlannedChange.Action.delete
                        && c.desired() instanceof Service s
                        && TailscaleExposure.isEgress(s))
                .toList();
        if (egress.isEmpty()) {
            return;
        }
        op.addStep(STEP);
        op.start(STEP);
        long until = System.nanoTime() + timeout.toNanos();
        for (PlannedChange change : egress) {
            String where = change.cluster() + " " + change.namespace() + "/" + change.name();
            String last = "no " + TailscaleExposure.PROXY_READY_CONDITION
                    + " condition yet (is the Tailscale operator installed in " + change.cluster() + "?)";
            while (true) {
                Optional<Condition> ready = registry.require(change.cluster())
                        .gateway()
                        .service(change.namespace(), change.name())
                        .flatMap(TailscaleExposure::proxyReady);
                if (ready.isPresent() && "True".equals(ready.get().getStatus())) {
                    break;
                }
                if (ready.isPresent()) {
                    last = ready.get().getReason() + ": " + ready.get().getMessage();
                    if (TailscaleExposure.REASON_INVALID.equals(ready.get().getReason())) {
                        fail(op, where, last);
                    }
                }
                if (System.nanoTime() > until) {
                    fail(op, where, last + " after " + timeout.toSeconds() + "s");
                }
                sleep();
            }
        }
        op.succeed(STEP, egress.size() + " ready");
    }

    private static void fail(OperationContext op, String where, String why) {
        op.fail(STEP, where + ": " + why);
        throw new ProblemException(
                ProblemType.ACCESS_INFORMATION_UNAVAILABLE,
                "Tailscale egress proxy " + where + " is not ready: " + why
                        + "; check the Tailscale operator's logs there; re-running connect resumes");
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.INTERNAL, "interrupted");
        }
    }
}
