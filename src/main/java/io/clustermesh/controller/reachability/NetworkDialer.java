package io.clustermesh.controller.reachability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real clusters: TCP, TLS and the kvstore read from where this service runs, plus the tailnet path for Tailscale. */
final class NetworkDialer implements EndpointDialer {
    private final EndpointProbe probe;
    private final TailscaleProbe tailscale;

    NetworkDialer(EndpointProbe probe, TailscaleProbe tailscale) {
        this.probe = probe;
        this.tailscale = tailscale;
    }

    @Override
    public Measured dial(ProbeTarget target, Duration timeout) {
        ProbeOutcome outcome = probe.probe(target.kvstoreTarget(), timeout);
        String path = target.mode() == ReachabilityMode.PORT_FORWARD ? "port-forward" : "direct";
        if (target.mode() == ReachabilityMode.TAILSCALE) {
            TailscaleProbe.Verdict verdict = tailscale.check(target.endpoint().host());
            List<ReachabilityEntry.Check> checks = new ArrayList<>(outcome.checks());
            checks.addAll(verdict.checks());
            path = verdict.path();
            ProbeVerdict result = verdict.failure() != null && !outcome.ok() ? verdict.failure() : outcome.result();
            String detail = verdict.failure() != null && !outcome.ok() ? verdict.detail() : outcome.detail();
            outcome = new ProbeOutcome(
                    result,
                    outcome.latencyMs(),
                    detail == null && verdict.detail() != null ? verdict.detail() : detail,
                    checks);
        }
        return new Measured(outcome, vantage(), outcome.latencyMs() == null && !outcome.ok() ? null : path, false);
    }

    @Override
    public String vantage() {
        return "service";
    }

    @Override
    public boolean simulated() {
        return false;
    }
}
