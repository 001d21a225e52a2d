package io.clustermesh.controller.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Brings the simulated clusters to a full mesh through the service's own API, as an operator would. */
final class MeshSetup {
    private MeshSetup() {}

    /** Enables ClusterMesh everywhere, connects every pair, and waits until every link is healthy. */
    static void fullMesh(Deployment d, Duration within) throws IOException, InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        List<String> operations = new ArrayList<>();
        for (String cluster : d.clusters) {
            // The homelab sits behind NAT and is dialled through its router's port-forward (NodePort);
            // the cloud clusters get a load balancer, as in the README's tour.
            Map<String, Object> body = cluster.equals("homelab") ? Map.of() : Map.of("serviceType", "LoadBalancer");
            operations.add(accepted(
                    () -> d.operator.put("/api/v1/clusters/" + cluster + "/clustermesh", body),
                    "enable " + cluster,
                    until));
        }
        for (String id : operations) {
            awaitOperation(d.operator, id, until);
        }
        if (d.clusters.size() > 1) {
            awaitOperation(
                    d.operator,
                    accepted(
                            () -> d.operator.post("/api/v1/mesh/connect", Map.of("clusters", d.clusters)),
                            "connect",
                            until),
                    until);
        }
        int expected = d.clusters.size() * (d.clusters.size() - 1) / 2;
        String last = "";
        while (System.nanoTime() < until) {
            HttpJson.Reply links = d.viewer.get("/api/v1/links");
            long healthy = count(links.body(), "healthy");
            if (links.status() == 200 && links.body().size() == expected && healthy == expected) {
                return;
            }
            last = links.status() + ": " + healthy + " of " + expected + " links healthy";
            Thread.sleep(500);
        }
        throw new IllegalStateException("the full mesh of " + d.clusters.size() + " did not become healthy within "
                + within + " (" + last + ")");
    }

    static long count(JsonNode links, String status) {
        long n = 0;
        for (JsonNode link : links) {
            if (status.equals(link.path("status").asText())) {
                n++;
            }
        }
        return n;
    }

    interface Call {
        HttpJson.Reply send() throws IOException, InterruptedException;
    }

    /**
     * Sends until the mutation is accepted. A 502 means a cluster missed its deadline while the
     * plan was read (a busy machine); the mutation is idempotent, so asking again is safe.
     */
    private static String accepted(Call call, String what, long untilNanos) throws IOException, InterruptedException {
        while (true) {
            HttpJson.Reply reply = call.send();
            if (reply.status() == 202) {
                return reply.body().path("id").asText();
            }
            if (reply.status() != 502 || System.nanoTime() > untilNanos) {
                throw new IllegalStateException(what + " answered " + reply.status() + ": " + reply.body());
            }
            Thread.sleep(1000);
        }
    }

    private static void awaitOperation(HttpJson api, String id, long untilNanos)
            throws IOException, InterruptedException {
        while (System.nanoTime() < untilNanos) {
            JsonNode op = api.get("/api/v1/operations/" + id).body();
            String state = op.path("state").asText();
            if (state.equals("succeeded")) {
                return;
            }
            if (!state.equals("pending") && !state.equals("running")) {
                throw new IllegalStateException("operation " + op.path("kind").asText() + " "
                        + op.path("target").asText() + " ended " + state + ": "
                        + op.path("error").asText());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("operation " + id + " did not finish in time");
    }
}
