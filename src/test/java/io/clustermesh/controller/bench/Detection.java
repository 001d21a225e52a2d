package io.clustermesh.controller.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * P6, detection latency: per simulated fault, the time from injecting it (at the simulator, a
 * separate process: the service is not told, exactly as with a real outage) until
 * {@code GET /api/v1/health} answers 503 and names it (the victim's cluster or one of its links
 * different from before), and from healing it until the victim's cluster and links are as before.
 * Judged on the victim rather than on 503 alone: on a busy machine the 16-cluster report can be
 * degraded by another link before the fault. Median and max over {@code --p6-runs}; a run whose
 * fault is not seen within {@code --p6-timeout-seconds} is counted as not detected (it fails the
 * row) and has no recovery time.
 */
final class Detection {
    private static final double TARGET_SECONDS = 10;
    private static final long POLL_MS = 200;

    private final BenchSettings settings;
    private final Results results;

    Detection(BenchSettings settings, Results results) {
        this.settings = settings;
        this.results = results;
    }

    void measure(Deployment d) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (String fault : settings.p6Faults()) {
            String victim = victim(d, fault);
            List<Double> detect = new ArrayList<>();
            List<Double> recover = new ArrayList<>();
            int missed = 0;
            try {
                for (int run = 0; run < settings.p6Runs(); run++) {
                    Map<String, String> before =
                            awaitVictimSettled(d, victim, settings.p6Timeout().multipliedBy(2));
                    long injected = System.nanoTime();
                    d.sim.post("/api/v1/sim/faults", Map.of("cluster", victim, "type", fault));
                    double seen = secondsUntil(d, victim, before, false, injected);
                    long healed = System.nanoTime();
                    d.sim.delete("/api/v1/sim/faults");
                    if (Double.isNaN(seen)) {
                        // Nothing was detected, so there is no recovery to time: only wait until the victim is as
                        // before.
                        missed++;
                        log(fault + " on " + victim + " run " + (run + 1) + ": not detected within "
                                + settings.p6Timeout().toSeconds() + " s");
                        secondsUntil(d, victim, before, true, healed);
                        continue;
                    }
                    detect.add(seen);
                    double back = secondsUntil(d, victim, before, true, healed);
                    recover.add(back);
                    log(fault + " on " + victim + " run " + (run + 1) + ": detected " + seen + " s, recovered "
                            + (Double.isNaN(back)
                                    ? "not within " + settings.p6Timeout().toSeconds() + " s"
                                    : back + " s"));
                }
                raw.put(
                        fault,
                        Map.of(
                                "victim",
                                victim,
                                "detectSeconds",
                                detect,
                                "notDetected",
                                missed,
                                "recoverSeconds",
                                recover));
                detectRow(fault, victim, detect, missed);
                recoverRow(fault, victim, recover);
            } catch (Exception e) {
                results.error("P6", fault, e);
                healQuietly(d);
            }
        }
        results.raw("p6", raw);
    }

    private void detectRow(String fault, String victim, List<Double> seconds, int missed) {
        String what = "detect " + fault + " (" + victim + "), median / max of " + (seconds.size() + missed);
        if (seconds.isEmpty()) {
            results.row(
                    "P6",
                    what,
                    "<= 10 s",
                    "not detected in any run (timeout " + settings.p6Timeout().toSeconds() + " s)",
                    Results.Verdict.FAIL);
            return;
        }
        double max = max(seconds);
        String missedText = missed == 0
                ? ""
                : "; not detected in " + missed + " run(s) within "
                        + settings.p6Timeout().toSeconds() + " s";
        results.row(
                "P6",
                what,
                "<= 10 s",
                String.format(Locale.ROOT, "%.1f / %.1f s%s", Bench.median(seconds), max, missedText),
                missed == 0 && max <= TARGET_SECONDS ? Results.Verdict.PASS : Results.Verdict.FAIL);
    }

    /** Recovery over the runs whose fault was detected (NaN: not recovered within the timeout). */
    private void recoverRow(String fault, String victim, List<Double> seconds) {
        List<Double> recovered = seconds.stream().filter(s -> !Double.isNaN(s)).toList();
        String what = "recover from " + fault + " (" + victim + "), median / max of " + seconds.size() + " detected";
        if (seconds.isEmpty()) {
            results.row("P6", what, "<= 10 s", "not measured: the fault was never detected", Results.Verdict.FAIL);
            return;
        }
        if (recovered.isEmpty()) {
            results.row(
                    "P6",
                    what,
                    "<= 10 s",
                    "never recovered within " + settings.p6Timeout().toSeconds() + " s",
                    Results.Verdict.FAIL);
            return;
        }
        int stuck = seconds.size() - recovered.size();
        double max = max(recovered);
        results.row(
                "P6",
                what,
                "<= 10 s",
                String.format(
                        Locale.ROOT,
                        "%.1f / %.1f s%s",
                        Bench.median(recovered),
                        max,
                        stuck == 0 ? "" : "; not recovered in " + stuck + " run(s)"),
                stuck == 0 && max <= TARGET_SECONDS ? Results.Verdict.PASS : Results.Verdict.FAIL);
    }

    private static double max(List<Double> seconds) {
        return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** port-forward-removed needs a cluster behind the home router's NAT; the others hit the last cluster. */
    private static String victim(Deployment d, String fault) throws IllegalStateException {
        if (!fault.equals("port-forward-removed")) {
            return d.clusters.get(d.clusters.size() - 1);
        }
        try {
            for (JsonNode c : d.sim.get("/api/v1/sim").body().path("clusters")) {
                if (c.path("behindNat").asBoolean()) {
                    return c.path("name").asText();
                }
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot read the simulator's clusters", e);
        }
        throw new IllegalStateException("no simulated cluster is behind NAT");
    }

    /**
     * Seconds until the report names the fault ({@code healed} false) or is back to {@code before} for
     * the victim; NaN when that did not happen within {@code --p6-timeout-seconds}.
     */
    private double secondsUntil(Deployment d, String victim, Map<String, String> before, boolean healed, long since)
            throws IOException, InterruptedException {
        long until = since + settings.p6Timeout().toNanos();
        while (System.nanoTime() < until) {
            HttpJson.Reply reply = d.viewer.get("/api/v1/health");
            Map<String, String> now = victimStatus(reply.body(), victim);
            boolean seen = healed ? now.equals(before) : reply.status() == 503 && !now.equals(before);
            if (seen) {
                return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
            }
            Thread.sleep(POLL_MS);
        }
        return Double.NaN;
    }

    /**
     * The victim's cluster and links once their status holds still for two seconds, before a run:
     * the baseline a fault must change and healing must restore (not necessarily all healthy: see
     * the class comment).
     */
    private static Map<String, String> awaitVictimSettled(Deployment d, String victim, Duration within)
            throws IOException, InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        Map<String, String> last = Map.of();
        int steady = 0;
        while (steady < 4) {
            Map<String, String> status =
                    victimStatus(d.viewer.get("/api/v1/health").body(), victim);
            steady = status.equals(last) && !"down".equals(status.get("cluster")) ? steady + 1 : 0;
            last = status;
            if (System.nanoTime() > until) {
                throw new IllegalStateException(
                        victim + " did not settle within " + within + " before the run: " + status);
            }
            Thread.sleep(500);
        }
        return last;
    }

    /**
     * {@code cluster} and every {@code a|b} link involving the victim, with its health status and
     * reason. The service dials the simulated endpoints through the simulator's network endpoint, so
     * its own reachability verdicts are part of the baseline (ok while the mesh is fine) and a
     * removed port-forward shows in them.
     */
    static Map<String, String> victimStatus(JsonNode report, String victim) {
        Map<String, String> status = new java.util.TreeMap<>();
        for (JsonNode c : report.path("clusters")) {
            if (victim.equals(c.path("name").asText())) {
                status.put("cluster", c.path("status").asText());
            }
        }
        for (JsonNode l : report.path("links")) {
            if (victim.equals(l.path("a").asText()) || victim.equals(l.path("b").asText())) {
                status.put(
                        l.path("a").asText() + "|" + l.path("b").asText(),
                        l.path("status").asText() + " | " + l.path("reason").asText());
            }
        }
        return status;
    }

    private static void healQuietly(Deployment d) {
        try {
            d.sim.delete("/api/v1/sim/faults");
        } catch (IOException | InterruptedException ignored) {
            // The deployment is torn down next anyway.
        }
    }

    private static void log(String line) {
        System.out.println("[bench] " + line);
    }
}
