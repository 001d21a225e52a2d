package io.clustermesh.controller.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark run does. The full run is the default; {@code --smoke} shrinks every figure
 * to seconds (1 and 4 clusters, no waiting) so the test command keeps the harness working.
 * Any setting can be overridden with {@code --name=value}.
 */
record BenchSettings(
        boolean smoke,
        List<Integer> sizes,
        int steadyClusters,
        int warmups,
        int samples,
        Duration perClusterDeadline,
        Duration apiLatency,
        Duration apiLatencyJitter,
        Duration rssAfter,
        Duration steadyWindow,
        Duration wrkDuration,
        int wrkConnections,
        int fixedRate,
        int pacedConnections,
        int startupRuns,
        Duration setupTimeout,
        List<String> serviceJvmOptions,
        Map<String, String> serviceEnv,
        List<String> checkJvmOptions,
        Path jar,
        Path out,
        int p6Runs,
        Duration p6Timeout,
        List<String> p6Faults,
        boolean p4WithoutMetrics) {

    static BenchSettings parse(String... args) {
        Map<String, String> given = new HashMap<>();
        boolean smoke = false;
        for (String arg : args) {
            if (arg.equals("--smoke")) {
                smoke = true;
            } else if (arg.startsWith("--") && arg.contains("=")) {
                given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + " (use --smoke or --name=value)");
            }
        }
        Map<String, String> v = new HashMap<>(smoke ? SMOKE : FULL);
        for (String key : given.keySet()) {
            if (!v.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting --" + key + "; known: " + v.keySet());
            }
        }
        v.putAll(given);
        List<Integer> sizes = Arrays.stream(v.get("sizes").split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .sorted()
                .toList();
        int steady = Integer.parseInt(v.get("steady-clusters"));
        if (steady != 0 && !sizes.contains(steady)) {
            throw new IllegalArgumentException(
                    "--steady-clusters must be one of --sizes " + sizes + ", or 0 to skip P2-P4 and the RSS reading");
        }
        return new BenchSettings(
                smoke,
                sizes,
                steady,
                Integer.parseInt(v.get("warmups")),
                Integer.parseInt(v.get("samples")),
                Duration.parse("PT" + v.get("deadline").toUpperCase()),
                Duration.ofMillis(Long.parseLong(v.get("api-latency-ms"))),
                Duration.ofMillis(Long.parseLong(v.get("api-latency-jitter-ms"))),
                Duration.ofSeconds(Long.parseLong(v.get("rss-after-seconds"))),
                Duration.ofSeconds(Long.parseLong(v.get("steady-seconds"))),
                Duration.ofSeconds(Long.parseLong(v.get("wrk-seconds"))),
                Integer.parseInt(v.get("wrk-connections")),
                Integer.parseInt(v.get("rate")),
                Integer.parseInt(v.get("paced-connections")),
                Integer.parseInt(v.get("startup-runs")),
                Duration.ofSeconds(Long.parseLong(v.get("setup-seconds"))),
                options(v.get("service-jvm-options")),
                environment(v.get("service-env")),
                options(v.get("check-jvm-options")),
                Path.of(v.get("jar")),
                Path.of(v.get("out")),
                Integer.parseInt(v.get("p6-runs")),
                Duration.ofSeconds(Long.parseLong(v.get("p6-timeout-seconds"))),
                Arrays.stream(v.get("p6-faults").split(","))
                        .map(String::trim)
                        .filter(f -> !f.isEmpty())
                        .toList(),
                Boolean.parseBoolean(v.get("p4-without-metrics")));
    }

    private static List<String> options(String text) {
        return Arrays.stream(text.split(" ")).filter(o -> !o.isBlank()).toList();
    }

    /** {@code NAME=value} pairs separated by spaces. */
    private static Map<String, String> environment(String text) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String pair : options(text)) {
            if (!pair.contains("=")) {
                throw new IllegalArgumentException("--service-env takes NAME=value pairs, not " + pair);
            }
            env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return Map.copyOf(env);
    }

    /** The check command's JVM options followed by {@code more}. */
    List<String> checkJvm(String... more) {
        List<String> all = new java.util.ArrayList<>(checkJvmOptions);
        all.addAll(List.of(more));
        return all;
    }

    /** The service's JVM options followed by {@code more}. */
    List<String> serviceJvm(String... more) {
        List<String> all = new java.util.ArrayList<>(serviceJvmOptions);
        all.addAll(List.of(more));
        return all;
    }

    private static final Map<String, String> FULL = Map.ofEntries(
            Map.entry("sizes", "1,16,64"),
            Map.entry("steady-clusters", "16"),
            Map.entry("warmups", "2"),
            Map.entry("samples", "5"),
            Map.entry("deadline", "5s"),
            Map.entry("api-latency-ms", "3"),
            Map.entry("api-latency-jitter-ms", "2"),
            // The idle window must span one round of agent readings, so the P4 rate is an average, not the luck of the
            // window's phase: a reading is reused for mesh.health.agent-scrape-interval (2m) stretched until its cost
            // fits agent-request-budget-per-minute (1.8), about 4 min for the simulator's 2-3-node clusters
            // (2026-12-02:
            // 135 s read 0 requests, all inside one window).
            Map.entry("rss-after-seconds", "300"),
            Map.entry("steady-seconds", "300"),
            Map.entry("wrk-seconds", "10"),
            Map.entry("wrk-connections", "32"),
            Map.entry("rate", "2000"),
            Map.entry("paced-connections", "20"),
            Map.entry("startup-runs", "3"),
            Map.entry("setup-seconds", "900"),
            // As deployed (deploy/Containerfile's JAVA_OPTS_APPEND and the CronJob's command); the
            // archives are relative to the jar's directory, where the processes run.
            Map.entry(
                    "service-jvm-options",
                    "-XX:SharedArchiveFile=app-cds.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms48m -Xmn24m -Xmx256m -Xss512k"
                            + " -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=32m -XX:TrimNativeHeapInterval=5000 -Dquarkus.vertx.event-loops-size=2"),
            // glibc's malloc otherwise keeps up to 8 arenas per core, one per busy thread (deploy/Containerfile sets
            // the same).
            Map.entry("service-env", "MALLOC_ARENA_MAX=2"),
            Map.entry("check-jvm-options", "-XX:SharedArchiveFile=check-cds.jsa -XX:TieredStopAtLevel=1"),
            Map.entry("jar", "target/quarkus-app/quarkus-run.jar"),
            Map.entry("out", "target/bench"),
            // P6: each sim fault injected at the simulator, the service not told (docs/cli.md, "Detection latency").
            Map.entry("p6-runs", "5"),
            Map.entry("p6-timeout-seconds", "180"),
            Map.entry("p6-faults", "apiserver-down,blackhole,port-forward-removed,agent-crash"),
            // P4 again on a second mesh of the steady size whose releases leave prometheus.enabled at the chart's
            // default (off): link status then reads the agents by exec (issue 19 item 5).
            Map.entry("p4-without-metrics", "true"));

    private static final Map<String, String> SMOKE;

    static {
        Map<String, String> smoke = new HashMap<>(FULL);
        smoke.putAll(Map.of(
                "sizes",
                "1,4",
                "steady-clusters",
                "4",
                "warmups",
                "1",
                "samples",
                "2",
                "rss-after-seconds",
                "0",
                "steady-seconds",
                "2",
                "wrk-seconds",
                "3",
                "startup-runs",
                "1",
                "out",
                "target/bench-smoke"));
        smoke.putAll(Map.of(
                "p6-runs",
                "1",
                "p6-timeout-seconds",
                "60",
                "p6-faults",
                "apiserver-down",
                "p4-without-metrics",
                "false"));
        SMOKE = Map.copyOf(smoke);
    }
}
