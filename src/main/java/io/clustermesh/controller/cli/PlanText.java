package io.clustermesh.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A dry run's plan as a table, grouped by cluster in the order it would be applied. */
final class PlanText {
    private PlanText() {}

    static void print(JsonNode dryRun, PrintWriter out) {
        JsonNode plan = dryRun.path("plan");
        out.println("dry run of " + dryRun.path("kind").asText() + " "
                + dryRun.path("target").asText() + ": "
                + (plan.isEmpty()
                        ? "nothing to change (already converged)"
                        : plan.size() + " step" + (plan.size() == 1 ? "" : "s")));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("CLUSTER", "ACTION", "OBJECT", "WHY"));
        for (JsonNode change : plan) {
            String namespace = text(change, "namespace");
            String kind = text(change, "kind");
            rows.add(List.of(
                    text(change, "cluster"),
                    text(change, "action"),
                    (kind.isEmpty() ? "" : kind + " ")
                            + (namespace.isEmpty() ? "" : namespace + "/")
                            + text(change, "name"),
                    text(change, "summary")));
        }
        if (!plan.isEmpty()) {
            Table.print(rows, out);
        }
        for (JsonNode warning : dryRun.path("warnings")) {
            out.println("⚠ " + warning.asText());
        }
        out.println("nothing was changed (dry run)");
        out.flush();
    }

    /** A waiting step has no object kind; an absent or null field prints as nothing. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : "";
    }
}
