package io.clustermesh.controller.cilium;

import io.clustermesh.controller.cilium.RemoteReason.RemoteVerdict;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One remote cluster across all agents of a cluster (contract §7.1 "per-cluster configured/connected"):
 * how many agents have it ready, and the reason most agents give when not all do.
 *
 * @param dominant the most common non-ready verdict (ties: cilium-cli's order), READY when all are ready,
 *                 UNKNOWN with no agents
 */
public record RemoteReadiness(String remote, int ready, int total, RemoteVerdict dominant) {

    public static RemoteReadiness aggregate(String remote, List<RemoteVerdict> perAgent) {
        int ready = (int) perAgent.stream().filter(RemoteVerdict::isReady).count();
        if (perAgent.isEmpty()) {
            return new RemoteReadiness(
                    remote,
                    0,
                    0,
                    new RemoteVerdict(remote, RemoteReason.UNKNOWN, "no agent reported", "no agent pod answered"));
        }
        if (ready == perAgent.size()) {
            return new RemoteReadiness(remote, ready, ready, perAgent.get(0));
        }
        Map<RemoteReason, Integer> counts = new EnumMap<>(RemoteReason.class);
        perAgent.stream().filter(v -> !v.isReady()).forEach(v -> counts.merge(v.reason(), 1, Integer::sum));
        RemoteReason top = null;
        for (Map.Entry<RemoteReason, Integer> e : counts.entrySet()) {
            if (top == null || e.getValue() > counts.get(top)) {
                top = e.getKey();
            }
        }
        RemoteReason chosen = top;
        RemoteVerdict example =
                perAgent.stream().filter(v -> v.reason() == chosen).findFirst().orElseThrow();
        return new RemoteReadiness(remote, ready, perAgent.size(), example);
    }

    public boolean allReady() {
        return total > 0 && ready == total;
    }
}
