package io.clustermesh.controller.mesh;

import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.tailscale.TailscaleExposure;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Optional;

/**
 * After connect wrote a Tailscale egress Service, wait for the operator's {@code TailscaleProxyReady}
 * on it (tailscale.md §11): until then the kvstoremesh entry points at a name with no proxy
 * behind it. {@code ProxyInvalid} is the operator refusing the Service: no point in waiting.
 */
final class TailscaleEgressWait {
    static final String WHAT = "wait for Tailscale egress proxy ";

    private TailscaleEgressWait() {}

    static Step.Await step(String cluster, String namespace, String service, Duration timeout) {
        return Step.Await.until(
                cluster,
                WHAT + namespace + "/" + service,
                gateways -> {
                    Optional<Condition> ready =
                            gateways.apply(cluster).service(namespace, service).flatMap(TailscaleExposure::proxyReady);
                    if (ready.isEmpty()) {
                        return new Step.Check.Waiting("no " + TailscaleExposure.PROXY_READY_CONDITION
                                + " condition yet (is the Tailscale operator installed in " + cluster + "?)");
                    }
                    Condition condition = ready.get();
                    String why = condition.getReason() + ": " + condition.getMessage();
                    if ("True".equals(condition.getStatus())) {
                        return new Step.Check.Met("ready");
                    }
                    return TailscaleExposure.REASON_INVALID.equals(condition.getReason())
                            ? new Step.Check.Failed(why)
                            : new Step.Check.Waiting(why);
                },
                timeout,
                ProblemType.ACCESS_INFORMATION_UNAVAILABLE,
                "check the Tailscale operator's logs there; re-running connect resumes",
                "the kvstoremesh entry points at this proxy");
    }
}
