package io.clustermesh.controller.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The two processes of a measurement: the simulator (the packaged jar in demo mode, hosting N
 * simulated clusters and not managing them) and the service under test (the packaged jar with
 * the demo off, reading the simulator's kubeconfigs like real ones). Separate processes keep the
 * simulation's CPU and memory out of the service's figures.
 */
final class Deployment implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    final JavaProcess simulator;
    final HttpJson sim;
    final JavaProcess service;
    final HttpJson operator;
    final HttpJson viewer;
    final Path kubeconfigDir;
    final double serviceReadyMs;
    final double serviceReadyCpuMs;
    final double simulatorReadyMs;
    final List<String> clusters;

    private Deployment(
            JavaProcess simulator,
            HttpJson sim,
            JavaProcess service,
            HttpJson operator,
            HttpJson viewer,
            Path kubeconfigDir,
            double serviceReadyMs,
            double simulatorReadyMs,
            List<String> clusters) {
        this.serviceReadyCpuMs = service.cpuMs();
        this.simulator = simulator;
        this.sim = sim;
        this.service = service;
        this.operator = operator;
        this.viewer = viewer;
        this.kubeconfigDir = kubeconfigDir;
        this.serviceReadyMs = serviceReadyMs;
        this.simulatorReadyMs = simulatorReadyMs;
        this.clusters = clusters;
    }

    static Deployment start(BenchSettings settings, int clusters) throws IOException, InterruptedException {
        return start(settings, clusters, true);
    }

    /** {@code agentMetrics} false: the simulated releases keep the chart's {@code prometheus.enabled=false}. */
    static Deployment start(BenchSettings settings, int clusters, boolean agentMetrics)
            throws IOException, InterruptedException {
        Path dir =
                settings.out().toAbsolutePath().resolve("run-" + clusters + (agentMetrics ? "" : "-no-agent-metrics"));
        Path kubeconfigs = dir.resolve("kubeconfigs");
        Files.createDirectories(kubeconfigs);
        try (var old = Files.list(kubeconfigs)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        String simToken = randomToken();
        int simPort = JavaProcess.freePort();
        JavaProcess simulator = JavaProcess.start(
                "simulator-" + clusters,
                settings.jar(),
                List.of(
                        "-Dquarkus.http.port=" + simPort,
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dmesh.demo.enabled=true",
                        "-Dmesh.demo.clusters=" + clusters,
                        "-Dmesh.demo.kubeconfig-dir=" + kubeconfigs,
                        "-Dmesh.simulator.register-clusters=false",
                        // A healthy mesh to measure: the nodes reach each other (issue 17's data plane).
                        "-Dmesh.simulator.routed-nodes=true",
                        "-Dmesh.simulator.agent-metrics=" + agentMetrics,
                        "-Dmesh.demo.api-latency=" + settings.apiLatency().toMillis() + "ms",
                        "-Dmesh.demo.api-latency-jitter="
                                + settings.apiLatencyJitter().toMillis() + "ms"),
                List.of(),
                Map.of("MESH_DEMO_OPERATOR_TOKEN", simToken, "MESH_DEMO_VIEWER_TOKEN", randomToken()),
                dir.resolve("simulator.log"));
        HttpJson sim = new HttpJson(simPort, simToken);
        try {
            double simReady = waitReady(simulator, simPort, Duration.ofMinutes(4));
            List<String> names = new java.util.ArrayList<>();
            sim.get("/api/v1/sim")
                    .body()
                    .path("clusters")
                    .forEach(c -> names.add(c.path("name").asText()));
            if (names.size() != clusters) {
                throw new IllegalStateException("simulator started " + names.size() + " clusters, wanted " + clusters);
            }
            String operatorToken = randomToken();
            String viewerToken = randomToken();
            int port = JavaProcess.freePort();
            JavaProcess service = JavaProcess.start(
                    "service-" + clusters,
                    settings.jar(),
                    settings.serviceJvm(
                            "-Dquarkus.http.port=" + port,
                            "-Dquarkus.http.host=127.0.0.1",
                            "-Dmesh.kubeconfig-dir=" + kubeconfigs,
                            "-Dmesh.client.per-cluster-deadline="
                                    + settings.perClusterDeadline().toMillis() + "ms",
                            "-Dmesh.auth.tokens.bench-operator.sha256=" + sha256(operatorToken),
                            "-Dmesh.auth.tokens.bench-operator.role=operator",
                            "-Dmesh.auth.tokens.bench-viewer.sha256=" + sha256(viewerToken),
                            "-Dmesh.auth.tokens.bench-viewer.role=viewer"),
                    List.of(),
                    settings.serviceEnv(),
                    dir.resolve("service.log"));
            try {
                double ready = waitReady(service, port, Duration.ofMinutes(3));
                return new Deployment(
                        simulator,
                        sim,
                        service,
                        new HttpJson(port, operatorToken),
                        new HttpJson(port, viewerToken),
                        kubeconfigs,
                        ready,
                        simReady,
                        List.copyOf(names));
            } catch (InterruptedException | RuntimeException e) {
                service.close();
                throw e;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    /** Milliseconds from launch until {@code /q/health/ready} answers 200. */
    static double waitReady(JavaProcess process, int port, Duration within) throws InterruptedException {
        String url = "http://127.0.0.1:" + port + "/q/health/ready";
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            if (!process.alive()) {
                throw new IllegalStateException(process.name() + " exited before it was ready:\n" + process.tail(30));
            }
            if (HttpJson.status(url) == 200) {
                return process.sinceStartMs();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(process.name() + " not ready within " + within + ":\n" + process.tail(30));
    }

    static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "bench-" + HexFormat.of().formatHex(bytes);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        service.close();
        simulator.close();
    }
}
