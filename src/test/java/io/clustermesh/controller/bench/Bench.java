package io.clustermesh.controller.bench;

import static io.clustermesh.controller.bench.Results.Verdict.INFO;
import static io.clustermesh.controller.bench.Results.Verdict.PENDING;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermesh.controller.support.RequestKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark (issue #7): P1 fan-out, P2 isolation, P3 serving, P4 API cost, P5 footprint, P6 detection latency,
 * each a separate step against the packaged jar, printed as one table and written to
 * {@code target/bench/}. Run it with {@code bench/run}; {@code bench/run --smoke} is the
 * seconds-long variant the test command runs.
 */
public final class Bench {
    private final BenchSettings settings;
    private final Results results = new Results();
    private final Map<Integer, Double> fanOutMs = new LinkedHashMap<>();
    private final Map<Integer, Double> sequentialMs = new LinkedHashMap<>();
    private final Map<Integer, Double> answerKb = new LinkedHashMap<>();
    private final Map<Integer, Double> serviceCpuMs = new LinkedHashMap<>();
    private final Map<Integer, Double> simulatorCpuMs = new LinkedHashMap<>();

    Bench(BenchSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.parse(args);
        Bench bench = new Bench(settings);
        Results results = bench.run();
        boolean errors = results.rows().stream().anyMatch(r -> r.verdict() == Results.Verdict.ERROR);
        System.exit(errors ? 1 : 0);
    }

    Results run() throws IOException {
        if (!Files.isRegularFile(settings.jar())) {
            throw new IllegalStateException(
                    settings.jar() + " is missing: build it with ./mvnw -B package -DskipTests");
        }
        Files.createDirectories(settings.out());
        String loadBefore = loadAverage();
        log("benchmark " + (settings.smoke() ? "SMOKE " : "") + "started; load average " + loadBefore + "; settings "
                + settings);
        results.raw("settings", settings.toString());
        results.raw("startedAt", Instant.now().toString());
        startup();
        List<Integer> order = new ArrayList<>(settings.sizes().stream()
                .filter(n -> n != settings.steadyClusters())
                .toList());
        if (settings.steadyClusters() != 0) {
            order.add(settings.steadyClusters());
        }
        for (int clusters : order) {
            mesh(clusters);
        }
        fanOutRows();
        String header = String.format(
                Locale.ROOT,
                "clustermesh-controller benchmark%s, %s, %d cores, load average %s at start / %s at end%n"
                        + "The machine is shared with other work while this runs: wall times include waiting for a core; CPU times are given where they help.%n%n",
                settings.smoke() ? " (smoke)" : "",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                loadBefore,
                loadAverage());
        results.raw("finishedAt", Instant.now().toString());
        results.write(settings.out(), header);
        System.out.print("\n" + header + results.table());
        System.out.println(
                "\nraw numbers: " + settings.out().resolve("results.json").toAbsolutePath());
        return results;
    }

    /** P5: JVM start to ready, the service alone (no clusters), then with the in-process demo for comparison. */
    private void startup() {
        if (settings.startupRuns() == 0) {
            return;
        }
        try {
            Path empty = settings.out().toAbsolutePath().resolve("startup/kubeconfigs");
            Files.createDirectories(empty);
            List<Double> wall = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int i = 0; i < settings.startupRuns(); i++) {
                int port = JavaProcess.freePort();
                try (JavaProcess p = JavaProcess.start(
                        "startup-" + i,
                        settings.jar(),
                        settings.serviceJvm(
                                "-Dquarkus.http.port=" + port,
                                "-Dquarkus.http.host=127.0.0.1",
                                "-Dmesh.kubeconfig-dir=" + empty),
                        List.of(),
                        settings.serviceEnv(),
                        empty.resolveSibling("service-" + i + ".log"))) {
                    wall.add(Deployment.waitReady(p, port, Duration.ofMinutes(2)));
                    cpu.add(p.cpuMs());
                }
            }
            results.raw("p5.startup.wallMs", wall);
            results.raw("p5.startup.cpuMs", cpu);
            double median = median(wall);
            results.check(
                    "P5",
                    "JVM start to ready (no clusters)",
                    "< 1500 ms",
                    median,
                    1500,
                    true,
                    String.format(
                            Locale.ROOT, "%.0f ms (median of %d; CPU %.0f ms)", median, wall.size(), median(cpu)));
            int port = JavaProcess.freePort();
            try (JavaProcess p = JavaProcess.start(
                    "startup-demo",
                    settings.jar(),
                    settings.serviceJvm(
                            "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-Dmesh.demo.enabled=true"),
                    List.of(),
                    settings.serviceEnv(),
                    empty.resolveSibling("demo.log"))) {
                double ms = Deployment.waitReady(p, port, Duration.ofMinutes(2));
                results.raw("p5.startup.demo2.wallMs", ms);
                results.row(
                        "P5",
                        "start to ready, demo mode (2 simulated clusters in-process)",
                        "-",
                        String.format(Locale.ROOT, "%.0f ms (CPU %.0f ms)", ms, p.cpuMs()),
                        INFO);
            }
        } catch (Exception e) {
            results.error("P5", "JVM start to ready", e);
        }
    }

    private void mesh(int clusters) {
        log("starting the simulator with " + clusters + " clusters and the service");
        try (Deployment d = Deployment.start(settings, clusters)) {
            results.raw("n" + clusters + ".simulatorReadyMs", d.simulatorReadyMs);
            results.raw("n" + clusters + ".serviceReadyMs", d.serviceReadyMs);
            results.row(
                    "P5",
                    "start to ready with " + clusters + " cluster kubeconfigs",
                    "-",
                    String.format(
                            Locale.ROOT,
                            "%.0f ms (CPU %.0f ms; simulator process: %.0f ms)",
                            d.serviceReadyMs,
                            d.serviceReadyCpuMs,
                            d.simulatorReadyMs),
                    INFO);
            long setupStarted = System.nanoTime();
            MeshSetup.fullMesh(d, settings.setupTimeout());
            results.raw("n" + clusters + ".fullMeshSetupMs", (System.nanoTime() - setupStarted) / 1e6);
            log("full mesh of " + clusters + " healthy after " + Math.round((System.nanoTime() - setupStarted) / 1e6)
                    + " ms");
            fanOut(d);
            if (clusters == settings.steadyClusters()) {
                isolation(d);
                serving(d);
                apiCost(d, "agent metrics on");
                new Detection(settings, results).measure(d);
                checkMode(d);
                footprint(d);
            }
        } catch (Exception e) {
            results.error("P1", "fan-out with " + clusters + " clusters", e);
            log("FAILED with " + clusters + " clusters: " + e);
        }
        if (clusters == settings.steadyClusters() && settings.p4WithoutMetrics()) {
            apiCostWithoutAgentMetrics(clusters);
        }
    }

    /** P4 on a second mesh whose agents serve no metrics (the chart's default): status reads them by exec. */
    private void apiCostWithoutAgentMetrics(int clusters) {
        log("starting the simulator with " + clusters + " clusters without agent metrics, and the service");
        try (Deployment d = Deployment.start(settings, clusters, false)) {
            MeshSetup.fullMesh(d, settings.setupTimeout());
            awaitHealthy(d, Duration.ofMinutes(3));
            apiCost(d, "agent metrics off");
        } catch (Exception e) {
            results.error("P4", "API cost without agent metrics", e);
        }
    }

    /** P1: fresh status through the service (parallel fan-out) and the same calls one cluster after another. */
    private void fanOut(Deployment d) throws IOException, InterruptedException {
        int n = d.clusters.size();
        int links = n * (n - 1) / 2;
        List<Double> parallel = new ArrayList<>();
        int answerChars = 0;
        double serviceCpuBefore = 0;
        double simulatorCpuBefore = 0;
        for (int i = 0; i < settings.warmups() + settings.samples(); i++) {
            if (i == settings.warmups()) {
                serviceCpuBefore = d.service.cpuMs();
                simulatorCpuBefore = d.simulator.cpuMs();
            }
            HttpJson.Reply reply = d.viewer.get("/api/v1/links");
            if (reply.status() != 200 || MeshSetup.count(reply.body(), "healthy") != links) {
                throw new IllegalStateException("GET /api/v1/links: " + reply.status() + ", "
                        + MeshSetup.count(reply.body(), "healthy") + " of " + links + " healthy");
            }
            if (i >= settings.warmups()) {
                parallel.add(reply.ms());
            }
            answerChars = reply.chars();
        }
        // CPU per answer in each process tells a CPU-bound answer from one that waits.
        serviceCpuMs.put(n, (d.service.cpuMs() - serviceCpuBefore) / settings.samples());
        simulatorCpuMs.put(n, (d.simulator.cpuMs() - simulatorCpuBefore) / settings.samples());
        log("P1 " + n + " clusters: fan-out measured, sequential next");
        SequentialStatus sequential = new SequentialStatus(d.kubeconfigDir, d.clusters);
        List<Double> serial = new ArrayList<>();
        for (int i = 0; i < settings.warmups() + settings.samples(); i++) {
            double ms = sequential.run();
            if (i >= settings.warmups()) {
                serial.add(ms);
            }
        }
        results.raw("p1.n" + n + ".fanOutMs", parallel);
        results.raw("p1.n" + n + ".sequentialMs", serial);
        results.raw("p1.n" + n + ".answerChars", answerChars);
        results.raw("p1.n" + n + ".serviceCpuMsPerAnswer", serviceCpuMs.get(n));
        results.raw("p1.n" + n + ".simulatorCpuMsPerAnswer", simulatorCpuMs.get(n));
        answerKb.put(n, answerChars / 1024.0);
        fanOutMs.put(n, median(parallel));
        sequentialMs.put(n, median(serial));
        log(String.format(
                Locale.ROOT,
                "P1 %d clusters: fan-out %.1f ms, sequential %.1f ms, answer %d chars",
                n,
                median(parallel),
                median(serial),
                answerChars));
    }

    private void fanOutRows() {
        fanOutMs.forEach((n, ms) -> results.row(
                "P1",
                "fresh GET /api/v1/links, " + n + " clusters (median)",
                "-",
                String.format(
                                Locale.ROOT,
                                "%.1f ms; sequential %.1f ms; sequential/fan-out %.1fx; answer %.0f KB",
                                ms,
                                sequentialMs.get(n),
                                sequentialMs.get(n) / ms,
                                answerKb.get(n))
                        + String.format(
                                Locale.ROOT,
                                "; CPU per answer: service %.0f ms, simulator %.0f ms",
                                serviceCpuMs.get(n),
                                simulatorCpuMs.get(n)),
                INFO));
        // The largest mesh that was measured (a size that failed has an error row of its own).
        int smallest = fanOutMs.keySet().stream().min(Integer::compare).orElse(0);
        int largest = fanOutMs.keySet().stream().max(Integer::compare).orElse(0);
        if (largest > smallest) {
            double ratio = fanOutMs.get(largest) / fanOutMs.get(smallest);
            results.raw("p1.ratio", ratio);
            results.check(
                    "P1",
                    "fan-out " + largest + " / " + smallest + " clusters (in-run ratio)",
                    "<= 1.5x",
                    ratio,
                    1.5,
                    true,
                    String.format(
                            Locale.ROOT,
                            "%.2fx (%.1f / %.1f ms)",
                            ratio,
                            fanOutMs.get(largest),
                            fanOutMs.get(smallest)));
            double serialRatio = sequentialMs.get(largest) / sequentialMs.get(smallest);
            results.row(
                    "P1",
                    "sequential " + largest + " / " + smallest + " clusters (in-run ratio)",
                    "-",
                    String.format(
                            Locale.ROOT,
                            "%.2fx (%.1f / %.1f ms)",
                            serialRatio,
                            sequentialMs.get(largest),
                            sequentialMs.get(smallest)),
                    INFO);
        }
    }

    /** P2: one cluster black-holed; the answer must come within 1.1 x the per-cluster deadline and be right. */
    private void isolation(Deployment d) {
        String victim = d.clusters.get(d.clusters.size() - 1);
        double deadline = settings.perClusterDeadline().toMillis();
        try {
            JsonNode injected = d.sim.post("/api/v1/sim/faults", Map.of("cluster", victim, "type", "blackhole"))
                    .body();
            if (!injected.path("faults").has(victim)) {
                throw new IllegalStateException("the simulator did not take the fault: " + injected);
            }
            List<Double> times = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            try {
                for (int i = 0; i < Math.min(3, settings.samples()); i++) {
                    HttpJson.Reply reply = d.viewer.get("/api/v1/links");
                    times.add(reply.ms());
                    wrong.addAll(wrongUnderBlackhole(reply, victim));
                }
                HttpJson.Reply clusters = d.viewer.get("/api/v1/clusters/" + victim);
                if (clusters.body().path("reachable").asBoolean(true)) {
                    wrong.add("GET /api/v1/clusters/" + victim + " says reachable");
                }
            } finally {
                d.sim.delete("/api/v1/sim/faults");
            }
            double worst = times.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            results.raw("p2.victim", victim);
            results.raw("p2.linksMs", times);
            results.raw("p2.wrong", wrong);
            double ratio = worst / deadline;
            results.check(
                    "P2",
                    "answer with " + victim + " black-holed (slowest of " + times.size() + ")",
                    "<= 1.1 x deadline",
                    ratio,
                    1.1,
                    true,
                    String.format(Locale.ROOT, "%.0f ms = %.2f x %.0f ms", worst, ratio, deadline));
            results.row(
                    "P2",
                    victim + " marked down, every other link correct",
                    "all correct",
                    wrong.isEmpty() ? "all correct" : wrong.size() + " wrong: " + wrong.get(0),
                    wrong.isEmpty() ? Results.Verdict.PASS : Results.Verdict.FAIL);
            awaitQuiet(d);
            awaitHealthy(d, Duration.ofMinutes(3));
        } catch (Exception e) {
            results.error("P2", "isolation", e);
        }
    }

    private static List<String> wrongUnderBlackhole(HttpJson.Reply reply, String victim) {
        List<String> wrong = new ArrayList<>();
        if (reply.status() != 200) {
            wrong.add("status " + reply.status());
            return wrong;
        }
        for (JsonNode link : reply.body()) {
            String name = link.path("a").asText() + "-" + link.path("b").asText();
            boolean involved = link.path("a").asText().equals(victim)
                    || link.path("b").asText().equals(victim);
            String status = link.path("status").asText();
            if (!involved && !status.equals("healthy")) {
                wrong.add(name + " is " + status);
            }
            if (involved) {
                if (status.equals("healthy")) {
                    wrong.add(name + " is healthy");
                }
                for (JsonNode direction : link.path("directions")) {
                    if (direction.path("from").asText().equals(victim)
                            && !direction.path("status").asText().equals("unknown")) {
                        wrong.add(name + ": direction from " + victim + " is "
                                + direction.path("status").asText());
                    }
                }
            }
        }
        return wrong;
    }

    /**
     * P3: wrk from its own process against the cached health. The target rows take the plain body
     * (wrk's default request); the same runs asking for gzip, as browsers and most HTTP clients do,
     * are printed next to them for information.
     */
    private void serving(Deployment d) {
        String path = "/api/v1/health";
        try {
            if (!Wrk.installed()) {
                throw new IllegalStateException("wrk is not installed (apt-get install wrk)");
            }
            Path dir = settings.out().toAbsolutePath().resolve("run-" + d.clusters.size());
            int connections = settings.wrkConnections();
            String url = d.viewer.url(path);
            String token = d.viewer.token();
            Wrk.saturate(
                    url,
                    token,
                    connections,
                    Duration.ofSeconds(Math.max(1, settings.wrkDuration().toSeconds() / 3)),
                    dir.resolve("wrk-warmup.txt"));
            Wrk.Result peak =
                    Wrk.saturate(url, token, connections, settings.wrkDuration(), dir.resolve("wrk-saturation.txt"));
            Wrk.Result paced = Wrk.paced(
                    url,
                    token,
                    settings.pacedConnections(),
                    settings.fixedRate(),
                    settings.wrkDuration(),
                    dir.resolve("wrk-paced.txt"));
            Wrk.Result gzipPeak = Wrk.saturate(
                    url, token, connections, settings.wrkDuration(), dir.resolve("wrk-saturation-gzip.txt"), GZIP);
            Wrk.Result gzipPaced = Wrk.paced(
                    url,
                    token,
                    settings.pacedConnections(),
                    settings.fixedRate(),
                    settings.wrkDuration(),
                    dir.resolve("wrk-paced-gzip.txt"),
                    GZIP);
            results.raw("p3.path", path);
            results.raw("p3.peak", wrkRaw(peak));
            results.raw("p3.paced", wrkRaw(paced));
            results.raw("p3.peak-gzip", wrkRaw(gzipPeak));
            results.raw("p3.paced-gzip", wrkRaw(gzipPaced));
            results.check(
                    "P3",
                    "GET " + path + " peak throughput",
                    ">= 10000 req/s",
                    peak.requestsPerSecond(),
                    10_000,
                    false,
                    peakText(peak, connections));
            results.check(
                    "P3",
                    "GET " + path + " p99 at " + settings.fixedRate() + " req/s",
                    "< 5 ms",
                    paced.p99Ms(),
                    5,
                    true,
                    pacedText(paced));
            results.row("P3", "same, Accept-Encoding: gzip, peak", "-", peakText(gzipPeak, connections), INFO);
            results.row(
                    "P3",
                    "same, Accept-Encoding: gzip, p99 at " + settings.fixedRate() + " req/s",
                    "-",
                    pacedText(gzipPaced),
                    INFO);
            awaitQuiet(d);
            awaitHealthy(d, Duration.ofMinutes(3));
        } catch (Exception e) {
            results.error("P3", "serving", e);
        }
    }

    private static final String GZIP = "Accept-Encoding: gzip";

    private static Map<String, Object> wrkRaw(Wrk.Result r) {
        return Map.of(
                "rps",
                r.requestsPerSecond(),
                "p50Ms",
                r.p50Ms(),
                "p99Ms",
                r.p99Ms(),
                "requests",
                r.requests(),
                "non2xx",
                r.non2xx());
    }

    private static String peakText(Wrk.Result r, int connections) {
        return String.format(
                Locale.ROOT,
                "%.1f req/s (%d conns; p50 %.2f ms, p99 %.2f ms)",
                r.requestsPerSecond(),
                connections,
                r.p50Ms(),
                r.p99Ms());
    }

    private String pacedText(Wrk.Result r) {
        return String.format(
                Locale.ROOT,
                "p99 %.2f ms, p50 %.2f ms at %.0f req/s achieved (%d paced conns)",
                r.p99Ms(),
                r.p50Ms(),
                r.requestsPerSecond(),
                settings.pacedConnections());
    }

    /**
     * Execs per cluster per minute while idle may not exceed this: each exec costs {@link #REQUESTS_PER_EXEC}
     * API requests, all within P4's 2 requests per cluster per minute. The data-plane verdict execs
     * {@code cilium-health status} in one agent per cluster per reading, and without agent metrics
     * the agents' status is read by exec too.
     */
    private static final double EXECS_PER_CLUSTER_MINUTE = 2.0 / 3;

    private static final int REQUESTS_PER_EXEC = 3;

    /** P4: Kubernetes API requests counted at the simulated API servers, idle and per fresh status. */
    private void apiCost(Deployment d, String mode) {
        try {
            int n = d.clusters.size();
            awaitQuiet(d);
            long[] before = simCounters(d);
            d.viewer.get("/api/v1/links");
            long[] afterOne = simCounters(d);
            double perStatus = (afterOne[0] - before[0]) / (double) n;
            Thread.sleep(1000);
            long[] start = simCounters(d);
            Map<String, Long> kindsBefore = requestsByKind(d);
            Thread.sleep(settings.steadyWindow().toMillis());
            long[] end = simCounters(d);
            Map<String, Long> byKind = RequestKinds.difference(requestsByKind(d), kindsBefore);
            double minutes = settings.steadyWindow().toMillis() / 60_000.0;
            double perClusterMinute = (end[0] - start[0]) / (double) n / minutes;
            long execs = end[1] - start[1];
            double execsPerClusterMinute = execs / (double) n / minutes;
            String key = "p4." + mode.replace(' ', '-');
            results.raw(key + ".perStatusPerCluster", perStatus);
            results.raw(
                    key + ".steady",
                    Map.of(
                            "seconds",
                            settings.steadyWindow().toSeconds(),
                            "requests",
                            end[0] - start[0],
                            "execs",
                            execs,
                            "byKind",
                            byKind));
            results.check(
                    "P4",
                    "API requests per cluster per minute, idle, " + n + " clusters, " + mode,
                    "<= 2",
                    perClusterMinute,
                    2,
                    true,
                    String.format(
                            Locale.ROOT,
                            "%.2f (%d requests in %d s)",
                            perClusterMinute,
                            end[0] - start[0],
                            settings.steadyWindow().toSeconds()));
            results.check(
                    "P4",
                    "execs per cluster per minute, idle, " + mode,
                    "<= 0.67 (3 requests each)",
                    execsPerClusterMinute,
                    EXECS_PER_CLUSTER_MINUTE,
                    true,
                    String.format(
                            Locale.ROOT,
                            "%.2f (%d execs in %d s, %d of the requests)",
                            execsPerClusterMinute,
                            execs,
                            settings.steadyWindow().toSeconds(),
                            execs * REQUESTS_PER_EXEC));
            results.row(
                    "P4",
                    "idle requests by kind, " + mode,
                    "-",
                    byKind.isEmpty()
                            ? "none"
                            : byKind.entrySet().stream()
                                    .sorted(Map.Entry.<String, Long>comparingByValue()
                                            .reversed())
                                    .map(e -> e.getValue() + " " + e.getKey())
                                    .collect(java.util.stream.Collectors.joining("; ")),
                    INFO);
            results.row(
                    "P4",
                    "API requests per cluster per fresh status, " + mode,
                    "-",
                    String.format(Locale.ROOT, "%.1f (exec %d)", perStatus, afterOne[1] - before[1]),
                    INFO);
        } catch (Exception e) {
            results.error("P4", "API cost", e);
        }
    }

    /** Waits until the simulated API servers are nearly idle (under one request per cluster in 2 s): work left over from a load test. */
    private static void awaitQuiet(Deployment d) throws IOException, InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long last = simCounters(d)[0];
        int quietRounds = 0;
        while (quietRounds < 2 && System.nanoTime() < until) {
            Thread.sleep(2000);
            long now = simCounters(d)[0];
            quietRounds = now - last <= d.clusters.size() ? quietRounds + 1 : 0;
            last = now;
        }
    }

    /** The simulator's request counts by kind (method and path without object names, watch or not). */
    private static Map<String, Long> requestsByKind(Deployment d) throws IOException, InterruptedException {
        Map<String, Long> counts = new java.util.TreeMap<>();
        d.sim.get("/api/v1/sim/requests")
                .body()
                .path("byKind")
                .fields()
                .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    private static long[] simCounters(Deployment d) throws IOException, InterruptedException {
        long requests = 0;
        long execs = 0;
        for (JsonNode c : d.sim.get("/api/v1/sim").body().path("clusters")) {
            requests += c.path("apiRequests").asLong();
            execs += c.path("execRequests").asLong();
        }
        return new long[] {requests, execs};
    }

    /** P5: wall time of the one-shot check mode against two of the clusters (pending where the jar has no check mode). */
    private void checkMode(Deployment d) {
        try {
            Path dir = settings.out().toAbsolutePath().resolve("run-" + d.clusters.size() + "/check-kubeconfigs");
            Files.createDirectories(dir);
            for (String name : d.clusters.subList(0, Math.min(2, d.clusters.size()))) {
                Files.copy(
                        d.kubeconfigDir.resolve(name),
                        dir.resolve(name),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path log = dir.resolveSibling("check.log");
            try (JavaProcess p = JavaProcess.start(
                    "check",
                    settings.jar(),
                    settings.checkJvm("-Dquarkus.http.port=0", "-Dquarkus.http.host=127.0.0.1"),
                    List.of("check", "--kubeconfig-dir", dir.toString(), "--output", "json"),
                    Map.of(),
                    log)) {
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (p.alive()
                        && System.nanoTime() < until
                        && !Files.readString(log).contains("Listening on")) {
                    Thread.sleep(20);
                }
                if (p.alive()) {
                    results.row(
                            "P5",
                            "one-shot check, 2 clusters",
                            "< 3000 ms",
                            "pending: this jar has no check mode (it started the server)",
                            PENDING);
                    return;
                }
                double ms = p.sinceStartMs();
                int exit = p.waitFor(Duration.ZERO);
                results.raw("p5.checkMs", ms);
                results.raw("p5.checkExit", exit);
                if (exit < 0 || exit > 3) {
                    throw new IllegalStateException("check exited " + exit + ": " + p.tail(5));
                }
                results.check(
                        "P5",
                        "one-shot check, 2 clusters",
                        "< 3000 ms",
                        ms,
                        3000,
                        true,
                        String.format(Locale.ROOT, "%.0f ms (exit %d)", ms, exit));
            }
        } catch (Exception e) {
            results.error("P5", "one-shot check", e);
        }
    }

    /** P5: the service's resident memory after it has run for the configured time with the steady mesh. */
    private void footprint(Deployment d) {
        try {
            long waitMs = settings.rssAfter().toMillis() - Math.round(d.service.sinceStartMs());
            if (waitMs > 0) {
                log("waiting " + waitMs / 1000 + " s for the RSS reading at "
                        + settings.rssAfter().toSeconds() + " s after start");
                Thread.sleep(waitMs);
            }
            double rss = d.service.rssMb();
            results.raw("p5.rssMb", rss);
            results.raw("p5.simulatorRssMb", d.simulator.rssMb());
            results.raw("p5.serviceCpuMs", d.service.cpuMs());
            results.check(
                    "P5",
                    String.format(
                            Locale.ROOT,
                            "service RSS after %.1f min, %d clusters",
                            d.service.sinceStartMs() / 60_000,
                            d.clusters.size()),
                    "< 200 MB",
                    rss,
                    200,
                    true,
                    String.format(
                            Locale.ROOT,
                            "%.0f MB (JVM options: %s; environment: %s; simulator process: %.0f MB)",
                            rss,
                            settings.serviceJvmOptions().isEmpty()
                                    ? "defaults"
                                    : String.join(" ", settings.serviceJvmOptions()),
                            settings.serviceEnv().isEmpty() ? "-" : settings.serviceEnv(),
                            d.simulator.rssMb()));
        } catch (Exception e) {
            results.error("P5", "RSS", e);
        }
    }

    private static void awaitHealthy(Deployment d, Duration within) throws IOException, InterruptedException {
        int n = d.clusters.size();
        int links = n * (n - 1) / 2;
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            HttpJson.Reply reply = d.viewer.get("/api/v1/links");
            if (reply.status() == 200 && MeshSetup.count(reply.body(), "healthy") == links) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the mesh did not recover within " + within);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private static String loadAverage() {
        try {
            return String.join(
                    " ",
                    List.of(Files.readString(Path.of("/proc/loadavg")).split(" "))
                            .subList(0, 3));
        } catch (IOException e) {
            return "?";
        }
    }

    private static void log(String line) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
    }
}
