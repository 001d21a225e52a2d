package io.clustermesh.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code status [--context C] [--wait]}: each cluster's ClusterMesh state, then one row per link
 * direction (cluster, remote, state, agents ready/total, reason) as {@code GET /api/v1/links}
 * reports it, and the hints of the directions that are not ready. Exit 0 when every shown
 * direction is ready.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Shows ClusterMesh state and every link direction (cilium clustermesh status).")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServiceOptions service;

    @Option(names = "--context", paramLabel = "CONTEXT", description = "only this cluster and its links (default: all)")
    String context;

    @Option(names = "--wait", description = "wait until every shown direction is ready (or --wait-duration passes)")
    boolean await;

    @Option(
            names = "--wait-duration",
            paramLabel = "DURATION",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "how long --wait waits (default: ${DEFAULT-VALUE})")
    Duration waitDuration;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "table|json",
            defaultValue = "table",
            description = "table (default) or json")
    String output;

    @Override
    public Integer call() throws IOException {
        if (!output.equals("table") && !output.equals("json")) {
            throw new CliFailure(CliFailure.FAILED, "--output is table or json");
        }
        ServiceClient client = service.client();
        String only = context == null ? null : Clusters.resolve(client, context);
        PrintWriter out = MeshCli.of(spec).out();
        long until = System.nanoTime() + waitDuration.toNanos();
        while (true) {
            ArrayNode links =
                    selected(ServiceClient.expectOk(client.get("api/v1/links")).body(), only);
            boolean ready = allReady(links);
            if (ready || !await || System.nanoTime() > until) {
                JsonNode clusters = ServiceClient.expectOk(client.get("api/v1/clusters"))
                        .body()
                        .path("clusters");
                print(out, clusters, links, only);
                if (!ready && await) {
                    throw new CliFailure(
                            CliFailure.FAILED, "not every direction was ready after " + waitDuration.toSeconds() + "s");
                }
                return ready ? 0 : CliFailure.FAILED;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CliFailure.FAILED;
            }
        }
    }

    private void print(PrintWriter out, JsonNode clusters, ArrayNode links, String only) throws IOException {
        if (output.equals("json")) {
            ObjectNode document = ServiceClient.JSON.createObjectNode();
            ArrayNode shown = document.putArray("clusters");
            clusters.forEach(c -> {
                if (only == null || only.equals(c.path("name").asText())) {
                    shown.add(c);
                }
            });
            document.set("links", links);
            out.println(ServiceClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } else {
            StatusText.print(out, clusters, links, only);
        }
        out.flush();
    }

    private static ArrayNode selected(JsonNode links, String only) {
        ArrayNode result = ServiceClient.JSON.createArrayNode();
        for (JsonNode link : links) {
            if (only == null
                    || only.equals(link.path("a").asText())
                    || only.equals(link.path("b").asText())) {
                result.add(link);
            }
        }
        return result;
    }

    static boolean allReady(JsonNode links) {
        for (JsonNode link : links) {
            for (JsonNode direction : link.path("directions")) {
                if (!direction.path("status").asText().equals("ready")) {
                    return false;
                }
            }
        }
        return true;
    }
}
