package io.clustermesh.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Sends one mutation and reports it: the plan for {@code --dry-run}; the operation, and with
 * {@code --wait} its progress until it finishes. Warnings of the plan (Helm-managed Cilium, an
 * endpoint the certificate does not name) are printed in every case.
 */
final class MutationRunner {
    private static final Duration POLL = Duration.ofMillis(200);

    private final ServiceClient client;
    private final PrintWriter out;

    MutationRunner(ServiceClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    int run(String method, String path, Object body, MutationOptions options) {
        if (options.dryRun) {
            JsonNode plan = ServiceClient.expectOk(client.send(method, path + "?dryRun=true", body))
                    .body();
            PlanText.print(plan, out);
            return 0;
        }
        var reply = client.send(method, path, body);
        if (reply.status() != 202) {
            throw new CliFailure(CliFailure.FAILED, ServiceClient.problem(reply));
        }
        JsonNode operation = reply.body();
        String id = operation.path("id").asText();
        out.println(operation.path("kind").asText() + " "
                + operation.path("target").asText() + ": operation " + id + " started");
        warnings(operation);
        if (!options.await) {
            out.println("follow it with GET /api/v1/operations/" + id + " (or add --wait)");
            out.flush();
            return 0;
        }
        return follow(id, options.waitDuration);
    }

    private int follow(String id, Duration limit) {
        ProgressBar bar = new ProgressBar(out, MeshCli.interactive());
        long started = System.nanoTime();
        long until = started + limit.toNanos();
        JsonNode operation;
        while (true) {
            operation = ServiceClient.expectOk(client.get("api/v1/operations/" + id))
                    .body();
            bar.show(operation);
            String state = operation.path("state").asText();
            if (!state.equals("pending") && !state.equals("running")) {
                break;
            }
            if (System.nanoTime() > until) {
                bar.end();
                throw new CliFailure(
                        CliFailure.FAILED,
                        "operation " + id + " still " + state + " after " + limit.toSeconds()
                                + "s; it goes on: GET /api/v1/operations/" + id);
            }
            sleep();
        }
        bar.end();
        String took = String.format(Locale.ROOT, "%.1fs", (System.nanoTime() - started) / 1e9);
        String what =
                operation.path("kind").asText() + " " + operation.path("target").asText();
        if (operation.path("state").asText().equals("succeeded")) {
            out.println("✔ " + what + " succeeded in " + took);
            out.flush();
            return 0;
        }
        out.flush();
        throw new CliFailure(
                CliFailure.FAILED,
                what + " " + operation.path("state").asText() + ": "
                        + operation.path("error").asText("no reason given"));
    }

    private void warnings(JsonNode operation) {
        for (JsonNode warning : operation.path("warnings")) {
            out.println("⚠ " + warning.asText());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.FAILED, "interrupted");
        }
    }
}
