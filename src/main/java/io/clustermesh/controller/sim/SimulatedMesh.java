package io.clustermesh.controller.sim;

import io.clustermesh.controller.api.Role;
import io.clustermesh.controller.api.TokenRegistry;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.config.TemporaryDirectory;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The demo: starts simulated clusters when {@code mesh.demo.enabled=true}, hands their kubeconfigs
 * to the registry (the same path real clusters take), and creates demo tokens.
 */
@ApplicationScoped
public class SimulatedMesh {
    private static final Logger LOG = Logger.getLogger(SimulatedMesh.class);

    private final MeshConfig config;
    private final ClusterRegistry registry;
    private final TokenRegistry tokens;
    private final int httpPort;
    private final boolean registerClusters;
    private final SimulatorConfig simulator;
    private final Map<String, SimulatedCluster> clusters = Collections.synchronizedMap(new LinkedHashMap<>());
    private Path kubeconfigDir;
    /** Set when the demo made the kubeconfig directory itself: it goes again on a clean stop. */
    private TemporaryDirectory temporaryKubeconfigs;

    private ScheduledExecutorService housekeeping;

    public SimulatedMesh(
            MeshConfig config,
            ClusterRegistry registry,
            TokenRegistry tokens,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int httpPort,
            SimulatorConfig simulator) {
        this.config = config;
        this.registerClusters = simulator.registerClusters();
        this.simulator = simulator;
        this.registry = registry;
        this.tokens = tokens;
        this.httpPort = httpPort;
    }

    void start(@Observes @Priority(200) StartupEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        try {
            kubeconfigDir = config.demo().kubeconfigDir().map(Path::of).orElse(null);
            if (kubeconfigDir == null) {
                temporaryKubeconfigs = TemporaryDirectory.create("clustermesh-demo-kubeconfigs-");
                kubeconfigDir = temporaryKubeconfigs.path();
            } else {
                Files.createDirectories(kubeconfigDir);
            }
            startClusters(config.demo().clusters());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the simulated clusters' kubeconfigs", e);
        }
        if (registerClusters) {
            registry.addKubeconfigDirectory(kubeconfigDir);
        }
        String operator = config.demo().operatorToken().orElse(null);
        String viewer = config.demo().viewerToken().orElse(null);
        tokens.register("demo-operator", operator != null ? operator : (operator = randomToken()), Role.OPERATOR);
        tokens.register("demo-viewer", viewer != null ? viewer : (viewer = randomToken()), Role.VIEWER);
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(
                () -> clusters.values().forEach(SimulatedCluster::forgetRecordedRequests), 10, 10, TimeUnit.SECONDS);
        printBanner(
                config.demo().operatorToken().isPresent() ? null : operator,
                config.demo().viewerToken().isPresent() ? null : viewer);
    }

    /** Starts the clusters a few at a time: seeding is I/O against each mock server. */
    /** The demo cluster at {@code index} as {@code mesh.simulator.*} configures it. */
    static SimulatedClusterSpec specFor(int index, SimulatorConfig simulator) {
        SimulatedClusterSpec indexed = SimulatedClusterSpec.forIndex(index);
        String version = simulator.ciliumVersionOf(indexed.name());
        try {
            io.clustermesh.controller.cilium.CiliumVersion.parse(version);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "mesh.simulator.cilium-versions." + indexed.name() + " (or mesh.simulator.cilium-version): '"
                            + version + "' is not a Cilium version such as 1.18.11",
                    e);
        }
        SimulatedClusterSpec spec =
                indexed.withCiliumVersion(version).withApiServerStartupValidation(simulator.validateApiServerStartup());
        return simulator.agentMetrics() ? spec : spec.withoutAgentMetrics();
    }

    private void startClusters(int count) throws IOException {
        var pool = Executors.newFixedThreadPool(Math.min(4, Math.max(1, count)));
        try {
            List<java.util.concurrent.Future<SimulatedCluster>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                SimulatedClusterSpec spec = specFor(i, simulator);
                started.add(pool.submit(() -> SimulatedCluster.start(spec)));
            }
            for (var future : started) {
                SimulatedCluster cluster = future.get();
                cluster.latency(config.demo().apiLatency(), config.demo().apiLatencyJitter());
                cluster.writeKubeconfig(kubeconfigDir);
                clusters.put(cluster.name(), cluster);
                if (simulator.routedNodes()) {
                    cluster.nodeNetworks().forEach(this::addSubnetRoute);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting simulated clusters", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a simulated cluster failed to start", e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        synchronized (clusters) {
            clusters.values().forEach(SimulatedCluster::close);
            clusters.clear();
        }
        if (temporaryKubeconfigs != null) {
            temporaryKubeconfigs.delete();
        }
    }

    public boolean enabled() {
        return config.demo().enabled();
    }

    public Optional<Path> kubeconfigDir() {
        return Optional.ofNullable(kubeconfigDir);
    }

    public List<SimulatedCluster> clusters() {
        synchronized (clusters) {
            return new ArrayList<>(clusters.values());
        }
    }

    public void addSubnetRoute(String cidr) {
        SimulatedNetwork.addSubnetRoute(cidr);
    }

    public void clearSubnetRoutes() {
        SimulatedNetwork.clearSubnetRoutes();
    }

    public List<String> subnetRoutes() {
        return SimulatedNetwork.subnetRoutes().stream().sorted().toList();
    }

    public Optional<SimulatedCluster> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    /**
     * The generated tokens go to standard output only, once, because nobody could use the demo
     * otherwise; configured tokens are never printed.
     */
    private void printBanner(String generatedOperator, String generatedViewer) {
        StringBuilder banner = new StringBuilder()
                .append(
                        "\n==== clustermesh-controller DEMO: SIMULATED clusters (fabric8 mock API servers, not real Kubernetes) ====\n")
                .append("  clusters:    ")
                .append(String.join(", ", clusters.keySet()))
                .append('\n')
                .append("  kubeconfigs: ")
                .append(kubeconfigDir)
                .append("   (kubectl --kubeconfig ")
                .append(kubeconfigDir)
                .append("/homelab get nodes)\n")
                .append("  admin page:  http://localhost:")
                .append(httpPort)
                .append("/\n");
        if (generatedOperator != null) {
            banner.append("  operator token (generated): ")
                    .append(generatedOperator)
                    .append('\n');
        }
        if (generatedViewer != null) {
            banner.append("  viewer token   (generated): ")
                    .append(generatedViewer)
                    .append('\n');
        }
        banner.append(
                "=====================================================================================================\n");
        System.out.println(banner);
        LOG.infof("demo started with %d simulated clusters; kubeconfigs in %s", clusters.size(), kubeconfigDir);
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "demo-" + HexFormat.of().formatHex(bytes);
    }
}
