package io.clustermesh.controller.health;

import io.clustermesh.controller.health.spi.Check;
import io.clustermesh.controller.health.spi.Expiry;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The check's readable summary: one line per cluster, check, link and expiry. */
final class CheckText {
    private CheckText() {}

    static String render(CheckRun run) {
        HealthReport report = run.report();
        StringBuilder text = new StringBuilder();
        text.append("mesh ")
                .append(report.status().label())
                .append(" (exit ")
                .append(run.exitCode())
                .append(", ")
                .append(report.clusters().size())
                .append(" clusters, ")
                .append(report.links().size())
                .append(" links, ")
                .append(run.durationMs())
                .append(" ms)\n");
        for (var cluster : report.clusters()) {
            text.append("\ncluster ")
                    .append(cluster.name())
                    .append(": ")
                    .append(cluster.status().label())
                    .append(cluster.simulated() ? " (simulated)" : "")
                    .append('\n');
            for (Check check : cluster.checks()) {
                text.append(String.format("  %-8s %s: %s%n", check.status().label(), check.name(), check.reason()));
                if (check.hint() != null) {
                    text.append("           hint: ").append(check.hint()).append('\n');
                }
            }
        }
        for (var link : report.links()) {
            text.append("\nlink ")
                    .append(link.a())
                    .append(" <-> ")
                    .append(link.b())
                    .append(": ")
                    .append(link.status().label())
                    .append("\n  ")
                    .append(link.reason())
                    .append('\n');
            if (link.hint() != null) {
                text.append("  hint: ").append(link.hint()).append('\n');
            }
        }
        if (!report.expiries().isEmpty()) {
            text.append("\nexpiries\n");
            for (Expiry expiry : report.expiries()) {
                text.append(String.format(
                        "  %s  %5d days  %s: %s%n",
                        LocalDate.ofInstant(expiry.notAfter(), ZoneOffset.UTC),
                        expiry.daysLeft(),
                        expiry.cluster(),
                        expiry.what()));
            }
        }
        return text.toString();
    }
}
