package io.clustermesh.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The table {@code status} prints; its rows are exactly the directions of {@code GET /api/v1/links}. */
final class StatusText {
    static final List<String> HEADER = List.of("CLUSTER", "REMOTE", "STATE", "AGENTS", "REASON");

    private StatusText() {}

    static void print(PrintWriter out, JsonNode clusters, JsonNode links, String only) {
        for (JsonNode cluster : clusters) {
            if (only == null || only.equals(cluster.path("name").asText())) {
                out.println(clusterLine(cluster));
            }
        }
        out.println();
        if (links.isEmpty()) {
            out.println(
                    "no links" + (only == null ? "" : " of " + only)
                            + "; connect two clusters with: clustermesh-controller connect --context A --destination-context B");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        List<String> hints = new ArrayList<>();
        for (JsonNode link : links) {
            for (JsonNode d : link.path("directions")) {
                rows.add(List.of(
                        d.path("from").asText(),
                        d.path("to").asText(),
                        d.path("status").asText(),
                        d.path("agentsReady").asInt() + "/"
                                + d.path("agentsTotal").asInt(),
                        d.path("reason").asText("")));
                if (d.hasNonNull("hint")) {
                    hints.add(d.path("from").asText() + " → " + d.path("to").asText() + ": "
                            + d.path("hint").asText());
                }
            }
        }
        Table.print(rows, out);
        if (!hints.isEmpty()) {
            out.println();
            out.println("hints:");
            hints.forEach(h -> out.println("  " + h));
        }
        out.println();
        for (JsonNode link : links) {
            out.println("link " + link.path("a").asText() + " ↔ "
                    + link.path("b").asText() + ": " + link.path("status").asText()
                    + (link.path("simulated").asBoolean() ? " (simulated)" : ""));
        }
    }

    /** One cluster: unreachable says so (never "disabled"), else its ClusterMesh state and where it is dialled. */
    static String clusterLine(JsonNode cluster) {
        String name = cluster.path("name").asText() + (cluster.path("simulated").asBoolean() ? " (simulated)" : "");
        if (!cluster.path("reachable").asBoolean(true)) {
            JsonNode errors = cluster.path("errors");
            return name + ": unreachable"
                    + (errors.isEmpty() ? "" : " (" + errors.get(0).asText() + ")");
        }
        JsonNode mesh = cluster.path("mesh");
        if (!mesh.path("enabled").asBoolean()) {
            return name + ": ClusterMesh disabled";
        }
        List<String> endpoints = new ArrayList<>();
        mesh.path("endpoints").forEach(e -> endpoints.add(e.asText()));
        return name + ": ClusterMesh enabled, " + mesh.path("serviceType").asText("?") + ", clustermesh-apiserver "
                + (mesh.path("apiServerReady").asBoolean() ? "ready" : "not ready")
                + (mesh.hasNonNull("apiServerStatus")
                        ? " (" + mesh.path("apiServerStatus").asText() + ")"
                        : "")
                + (endpoints.isEmpty() ? "" : ", dialled at " + String.join(", ", endpoints));
    }
}
