package io.clustermesh.controller.health;

import com.sun.net.httpserver.HttpServer;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.mesh.ClusterOverviewService;
import io.clustermesh.controller.mesh.EnableRequest;
import io.clustermesh.controller.mesh.LinkStatusService;
import io.clustermesh.controller.mesh.MeshService;
import io.clustermesh.controller.mesh.MutationResult;
import io.clustermesh.controller.operations.Operation;
import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.sim.SimulatedCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Writes the one-shot check's class-data archive ({@code check-cds.jsa}, docs/benchmarks.md "Footprint") at
 * package time from a check that does its whole job: two simulated clusters, ClusterMesh enabled
 * and connected through the service's own {@link MeshService}, healthy, and a check run against
 * them exactly as the CronJob runs it ({@code --output json --report-to}, answered here), so
 * the archive holds the classes that parse real answers (fabric8 models, the Vert.x client's
 * response path, certificate facts, the report and the JDK HTTP client). Offline, loopback only;
 * everything it starts is stopped before it exits.
 *
 * <p>{@code java -cp <test classpath> ...CheckArchiveTraining APP_DIR ARCHIVE LOG}, run by the
 * {@code check-cds-archive} execution in pom.xml ({@code -DskipCheckCds} skips it).
 */
public final class CheckArchiveTraining {
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);

    private CheckArchiveTraining() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: CheckArchiveTraining APP_DIR ARCHIVE LOG");
            System.exit(2);
        }
        // As the tests run (pom.xml, surefire); the mock API servers log every request at INFO, and
        // the build log wants only what went wrong.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        int code;
        try {
            code = train(Path.of(args[0]), args[1], Path.of(args[2]));
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        // The clients' event loops and the operation runner are not daemons: leave nothing behind.
        System.exit(code);
    }

    static int train(Path appDir, String archive, Path log) throws Exception {
        Path kubeconfigs = Files.createTempDirectory("check-cds-training-");
        List<SimulatedCluster> clusters = new ArrayList<>();
        HttpServer service = null;
        try {
            for (int i = 0; i < 2; i++) {
                SimulatedCluster cluster = SimulatedCluster.startIndexed(i);
                clusters.add(cluster);
                cluster.writeKubeconfig(kubeconfigs);
            }
            connectHealthyMesh(kubeconfigs);
            AtomicInteger reports = new AtomicInteger();
            service = checksEndpoint(reports);
            String reportTo = "http://127.0.0.1:" + service.getAddress().getPort();
            Files.deleteIfExists(appDir.resolve(archive));
            Process check = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:ArchiveClassesAtExit=" + archive,
                            "-XX:TieredStopAtLevel=1",
                            "-Xlog:cds=off",
                            "-Xlog:cds+dynamic=off",
                            "-jar",
                            "quarkus-run.jar",
                            "check",
                            "--kubeconfig-dir",
                            kubeconfigs.toString(),
                            "--output",
                            "json",
                            "--report-to",
                            reportTo)
                    .directory(appDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            int exit;
            try {
                if (!check.waitFor(READY_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException(
                            "the training check did not finish within " + READY_WITHIN + "; see " + log);
                }
                exit = check.exitValue();
            } finally {
                check.destroyForcibly();
            }
            if (exit != 0 || reports.get() != 1 || !Files.isRegularFile(appDir.resolve(archive))) {
                System.err.println("check-cds training: check exited " + exit + " (0 wanted), " + reports.get()
                        + " report(s) received; see " + log);
                return 1;
            }
            System.out.println(
                    "check-cds training: " + archive + " written from a healthy check of 2 simulated clusters");
            return 0;
        } finally {
            if (service != null) {
                service.stop(0);
            }
            clusters.forEach(SimulatedCluster::close);
            try (Stream<Path> files = Files.walk(kubeconfigs)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Enables ClusterMesh on both clusters and connects them, as an operator would, until the check says healthy. */
    private static void connectHealthyMesh(Path kubeconfigs) throws InterruptedException {
        var configuration =
                CheckCommand.configuration(new CheckCommand.Options(kubeconfigs.toString(), true, null), Map.of());
        MeshConfig config = configuration.getConfigMapping(MeshConfig.class);
        HealthConfig health = configuration.getConfigMapping(HealthConfig.class);
        ClusterRegistry registry = ClusterRegistry.standalone(config);
        registry.rescan();
        Clock clock = Clock.systemUTC();
        FanOut fanOut = new FanOut(config);
        OperationService operations = new OperationService(clock, new SimpleMeterRegistry());
        MeshService mesh = new MeshService(
                registry,
                fanOut,
                operations,
                new io.clustermesh.controller.operations.PlanExecutor(registry, operations),
                clock,
                config);
        // As in the README's tour: the homelab behind NAT keeps the NodePort, the cloud gets a load balancer.
        finish(operations, mesh.enable("homelab", EnableRequest.DEFAULTS, false, "check-cds-training"));
        finish(
                operations,
                mesh.enable("cloud", new EnableRequest("LoadBalancer", null, null), false, "check-cds-training"));
        long until = System.nanoTime() + READY_WITHIN.toNanos();
        // The simulated cloud assigns its load balancer address on its next control-loop turn;
        // until then connect cannot plan (no endpoint), as against a real cloud.
        while (true) {
            try {
                finish(operations, mesh.connect(List.of("homelab", "cloud"), false, "check-cds-training"));
                break;
            } catch (ProblemException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
        HealthEvaluator evaluator = new HealthEvaluator(
                fanOut,
                new ClusterOverviewService(registry, fanOut, config, clock),
                new LinkStatusService(registry, fanOut, clock, config),
                clock,
                config.namespace(),
                health.health().certificateWarningDays(),
                Duration.ZERO);
        HealthStatus status = null;
        while (System.nanoTime() < until) {
            status = evaluator.evaluate(List.of()).report().status();
            if (status == HealthStatus.HEALTHY) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(
                "the simulated mesh did not become healthy within " + READY_WITHIN + " (last: " + status + ")");
    }

    private static void finish(OperationService operations, MutationResult result) {
        Operation started = ((MutationResult.Started) result).operation();
        Operation done = operations.await(started.id(), READY_WITHIN);
        if (done.state() != Operation.State.succeeded) {
            throw new IllegalStateException(started.kind() + " " + started.target() + " ended " + done.state());
        }
    }

    /** Stands in for the service's {@code POST /api/v1/checks}, so the archive covers the report's HTTP client. */
    private static HttpServer checksEndpoint(AtomicInteger reports) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/checks", exchange -> {
            exchange.getRequestBody().readAllBytes();
            reports.incrementAndGet();
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
