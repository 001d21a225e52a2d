package io.clustermesh.controller.health;

import io.clustermesh.controller.health.spi.CheckStatus;
import io.clustermesh.controller.health.spi.Contribution;
import io.clustermesh.controller.mesh.LinkView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A link's health from its directions and what contributors measured on them. */
final class LinkChecks {
    private LinkChecks() {}

    /**
     * Contributed checks by direction. A full mesh of N clusters has N(N-1) directions and about
     * as many checks: matching each link against every check would be quadratic in that.
     */
    static Map<String, List<Contribution.DirectionCheck>> byDirection(List<Contribution.DirectionCheck> contributed) {
        Map<String, List<Contribution.DirectionCheck>> index = new HashMap<>();
        contributed.forEach(c -> index.computeIfAbsent(direction(c.from(), c.to()), k -> new ArrayList<>())
                .add(c));
        return index;
    }

    private static String direction(String from, String to) {
        return from + '\u0000' + to;
    }

    static HealthReport.LinkHealth of(LinkView link, Map<String, List<Contribution.DirectionCheck>> contributed) {
        HealthStatus status = HealthStatus.parse(link.status());
        List<String> problems = new ArrayList<>();
        String hint = null;
        for (LinkView.Direction d : link.directions()) {
            if (!d.ready()) {
                problems.add(d.from() + "→" + d.to() + ": " + d.reason());
                hint = hint == null ? d.hint() : hint;
            } else if (d.dataPlane() != null && !d.dataPlaneOk()) {
                // The control plane is fine; what pods cannot do is the finding, with its remediation.
                var dp = d.dataPlane();
                problems.add(d.from() + "→" + d.to() + ": data plane " + dp.state() + ": "
                        + String.join(
                                "; ",
                                dp.reasons().stream()
                                        .map(LinkView.Reason::message)
                                        .toList()));
                hint = hint == null ? dp.remediation() : hint;
            }
        }
        List<Double> latencies = new ArrayList<>();
        for (Contribution.DirectionCheck c : onLink(link, contributed)) {
            if (c.latencyMs() != null) {
                latencies.add(c.latencyMs());
            }
            if (c.check().status() != CheckStatus.OK) {
                problems.add(c.from() + "→" + c.to() + ": " + c.check().name() + ": "
                        + c.check().reason());
                hint = hint == null ? c.check().hint() : hint;
                if (c.check().status() == CheckStatus.FAILING) {
                    status = status.worse(HealthStatus.DEGRADED);
                }
            }
        }
        if (latencies.isEmpty()) {
            link.directions().stream()
                    .map(LinkView.Direction::latencyMs)
                    .filter(Objects::nonNull)
                    .forEach(latencies::add);
        }
        String reason = problems.isEmpty() ? "both directions ready" : String.join("; ", problems);
        Double latency = latencies.stream().max(Double::compare).orElse(null);
        return new HealthReport.LinkHealth(link.a(), link.b(), status, link.simulated(), reason, hint, latency);
    }

    /** Per direction: up when the agents are ready and no contributed check fails. */
    static List<Evaluation.DirectionState> directions(
            LinkView link, Map<String, List<Contribution.DirectionCheck>> contributed) {
        List<Evaluation.DirectionState> states = new ArrayList<>();
        for (LinkView.Direction d : link.directions()) {
            boolean up = d.ready();
            Double probeLatency = null;
            for (Contribution.DirectionCheck c : contributed.getOrDefault(direction(d.from(), d.to()), List.of())) {
                up &= c.check().status() != CheckStatus.FAILING;
                probeLatency = c.latencyMs() == null ? probeLatency : c.latencyMs();
            }
            states.add(new Evaluation.DirectionState(d.from(), d.to(), up, probeLatency, d.dataPlaneOk()));
        }
        return states;
    }

    private static List<Contribution.DirectionCheck> onLink(
            LinkView link, Map<String, List<Contribution.DirectionCheck>> contributed) {
        List<Contribution.DirectionCheck> both =
                new ArrayList<>(contributed.getOrDefault(direction(link.a(), link.b()), List.of()));
        both.addAll(contributed.getOrDefault(direction(link.b(), link.a()), List.of()));
        return both;
    }
}
