package io.clustermesh.controller.support;

import io.clustermesh.controller.api.TokenRegistry;
import io.clustermesh.controller.sim.SimulatedCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts simulated clusters (fabric8 CRUD mock servers seeded with Cilium) for a @QuarkusTest and
 * points the service at their kubeconfigs, exactly like a user's kubeconfig directory.
 * Two clusters (homelab and cloud) unless a subclass such as {@link Five} says otherwise.
 */
public class SimulatedClustersResource implements QuarkusTestResourceLifecycleManager {
    public static final String VIEWER_TOKEN = "viewer-token-7f3a9c1e";
    public static final String OPERATOR_TOKEN = "operator-token-2b8d4e6f";

    /** The clusters of the most recently started resource: the one the running application uses. */
    private static volatile List<SimulatedCluster> current = List.of();

    private static volatile Path kubeconfigDir;
    private final List<SimulatedCluster> running = new ArrayList<>();
    private Path ownKubeconfigDir;
    private int count;
    private final Map<Integer, String> ciliumVersions;

    public SimulatedClustersResource() {
        this(2);
    }

    protected SimulatedClustersResource(int count) {
        this(count, Map.of());
    }

    /** @param ciliumVersions by cluster index; others run the simulator's default version */
    protected SimulatedClustersResource(int count, Map<Integer, String> ciliumVersions) {
        this.count = count;
        this.ciliumVersions = ciliumVersions;
    }

    /** The demo's mixed mesh: homelab on 1.15.0 (as the usual guide installs it), cloud on 1.18.11. */
    public static class MixedVersions extends SimulatedClustersResource {
        public MixedVersions() {
            super(2, Map.of(0, "1.15.0", 1, "1.18.11"));
        }
    }

    /**
     * Five clusters (homelab, cloud, sim-03..05). A subclass rather than an init argument: Quarkus
     * does not hand {@code initArgs} to a resource restricted to its annotated class.
     */
    public static class Five extends SimulatedClustersResource {
        public Five() {
            super(5);
        }
    }

    /**
     * Homelab and cloud installed with the chart's default {@code prometheus.enabled=false}: no
     * agent metrics, so status must come from the agents' and KVStoreMesh's own status commands.
     */
    public static class WithoutAgentMetrics extends SimulatedClustersResource {
        @Override
        protected boolean agentMetrics() {
            return false;
        }
    }

    /**
     * Homelab and cloud as the demo starts them: no route between their nodes' private addresses,
     * so the control plane works through the router's port-forward and the data plane does not.
     */
    public static class Unrouted extends SimulatedClustersResource {
        @Override
        protected boolean routedNodes() {
            return false;
        }
    }

    /**
     * Whether every cluster's node network is routed from the others (an approved subnet route
     * per cluster, as a site-to-site VPN would): then links are healthy on both planes. Tests of
     * the NAT data plane turn it off.
     */
    protected boolean routedNodes() {
        return true;
    }

    /** Whether the simulated releases enable agent metrics. */
    protected boolean agentMetrics() {
        return true;
    }

    @Override
    public Map<String, String> start() {
        try {
            ownKubeconfigDir = Files.createTempDirectory("test-kubeconfigs-");
            for (int i = 0; i < count; i++) {
                SimulatedCluster cluster = SimulatedCluster.startIndexed(
                        i, ciliumVersions.get(i), validateApiServerStartup(), agentMetrics(), routedNodes());
                cluster.writeKubeconfig(ownKubeconfigDir);
                running.add(cluster);
            }
            current = List.copyOf(running);
            kubeconfigDir = ownKubeconfigDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("mesh.kubeconfig-dir", ownKubeconfigDir.toString());
        config.put("mesh.kubeconfig-rescan-interval", "200ms");
        config.put("mesh.auth.tokens.test-viewer.sha256", TokenRegistry.sha256Hex(VIEWER_TOKEN));
        config.put("mesh.auth.tokens.test-viewer.role", "viewer");
        config.put("mesh.auth.tokens.test-operator.sha256", TokenRegistry.sha256Hex(OPERATOR_TOKEN));
        config.put("mesh.auth.tokens.test-operator.role", "operator");
        return config;
    }

    /** {@code -Dmesh.simulator.validate-api-server-startup=false} bisects a failure (the simulator's setting; on by default). */
    private static boolean validateApiServerStartup() {
        return Boolean.parseBoolean(System.getProperty("mesh.simulator.validate-api-server-startup", "true"));
    }

    @Override
    public void stop() {
        running.forEach(SimulatedCluster::close);
        running.clear();
        SimulatedCluster.clearSubnetRoutes();
    }

    public static Path kubeconfigDir() {
        return kubeconfigDir;
    }

    /** A client on a simulated cluster, through its kubeconfig, for asserting on objects. */
    public static io.fabric8.kubernetes.client.KubernetesClient client(String name) {
        try {
            String kubeconfig = Files.readString(kubeconfigDir.resolve(name));
            return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(null, kubeconfig, null))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the simulated controllers of every running cluster have caught up with its writes. */
    public static void awaitSettled() {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> current.stream().allMatch(SimulatedCluster::settled));
    }

    /** The clusters the running application uses. */
    public static List<SimulatedCluster> clusters() {
        return current;
    }

    public static SimulatedCluster cluster(String name) {
        return current.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
