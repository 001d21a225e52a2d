package io.clustermesh.controller.sim;

import io.clustermesh.controller.contexts.ManagedCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One simulated cluster: a fabric8 mock Kubernetes API server in CRUD mode on loopback, seeded
 * with a Cilium install. The service reaches it like any real cluster, through a kubeconfig.
 */
public final class SimulatedCluster implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SimulatedClusterSpec spec;
    private final KubernetesMockServer server;
    private final SimulatedApiServer apiServer;
    private final KubernetesClient client;
    private final String token;
    private final Set<SimulatedFault> faults = ConcurrentHashMap.newKeySet();
    /** WireGuard key files stay "on the node": in here, never in the API server. */
    private final SimulatedWireGuard wireGuard = new SimulatedWireGuard(this);

    private final SimulatedKubelet kubelet = new SimulatedKubelet(this);
    private final SimulatedAgentExec agentExec = new SimulatedAgentExec(this);
    private final SimulatedApiServerPod apiServerPod = new SimulatedApiServerPod();
    /** Remotes whose state KVStoreMesh has copied into the local etcd: agents read them from there. */
    private final Set<String> cachedRemotes = ConcurrentHashMap.newKeySet();

    private final java.time.Instant startedAt = java.time.Instant.now();
    private volatile SimulatedClusterView view = SimulatedClusterView.EMPTY;
    private java.util.concurrent.ScheduledFuture<?> controlLoop;
    /** The agents' metrics pages as of one network epoch: rendering one evaluates every remote. */
    private volatile AgentPages pages = new AgentPages(-1, Map.of());
    /** The API server's write count the last complete refresh started from. */
    private volatile long refreshedAtWrites = -1;

    private record AgentPages(long epoch, Map<String, String> byNode) {}

    /** One small pool drives the control loops of every simulated cluster. */
    private static final java.util.concurrent.ScheduledExecutorService CONTROL =
            java.util.concurrent.Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "sim-control");
                t.setDaemon(true);
                return t;
            });

    private SimulatedCluster(SimulatedClusterSpec spec) {
        this.spec = spec;
        var ciliumNodes = new CustomResourceDefinitionContext.Builder()
                .withGroup("cilium.io")
                .withVersion("v2")
                .withKind("CiliumNode")
                .withPlural("ciliumnodes")
                .withScope("Cluster")
                .build();
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of(ciliumNodes));
        this.apiServer = new SimulatedApiServer(crud);
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), apiServer, false);
        this.server.init(InetAddress.getLoopbackAddress(), 0);
        // The simulation's own reads are marked so they count neither as API cost nor latency.
        this.client = server.createClient(b -> b.editOrNewConfig()
                .withCustomHeaders(Map.of(SimulatedApiServer.INTERNAL_HEADER, "true"))
                .endConfig());
        this.token = "sim-" + HexFormat.of().formatHex(randomBytes(16));
    }

    /**
     * Starts the simulated cluster the demo would start at this index (0 homelab, 1 cloud, …), for
     * tests: unlike the demo, its node network is routed from the other clusters (an approved
     * subnet route, as a site-to-site VPN would give), so links are healthy on both planes.
     */
    public static SimulatedCluster startIndexed(int index) {
        return startIndexed(index, true, true);
    }

    /**
     * Like {@link #startIndexed(int)}, running Cilium {@code ciliumVersion} (null: the default) and with
     * the clustermesh-apiserver's start-up validation on or off ({@code mesh.simulator.validate-api-server-startup}).
     */
    public static SimulatedCluster startIndexed(int index, String ciliumVersion, boolean validateApiServerStartup) {
        return startIndexed(index, ciliumVersion, validateApiServerStartup, true, true);
    }

    /**
     * The /24 networks of this cluster's node IPs (the addresses Cilium dials), e.g. to route them
     * with {@link #approveSubnetRoute} as a site-to-site VPN or Tailscale subnet router would.
     */
    public List<String> nodeNetworks() {
        return io.clustermesh.controller.cilium.NodeAddressClass.networks24(spec.nodes().stream()
                .map(SimulatedClusterSpec.SimulatedNode::internalIp)
                .toList());
    }

    /** An approved Tailscale subnet route in the simulated network (see {@code POST /api/v1/sim/subnet-routes}). */
    public static void approveSubnetRoute(String cidr) {
        SimulatedNetwork.addSubnetRoute(cidr);
    }

    public static void clearSubnetRoutes() {
        SimulatedNetwork.clearSubnetRoutes();
    }

    /**
     * As {@link #startIndexed(int)}, with or without agent metrics ({@code prometheus.enabled}; the
     * chart default is off), and with or without a route to its nodes (without: the demo's NAT data plane).
     */
    public static SimulatedCluster startIndexed(int index, boolean agentMetrics, boolean routedNodes) {
        return startIndexed(index, null, true, agentMetrics, routedNodes);
    }

    /** All of the above: Cilium version (null: default), start-up validation, agent metrics, routed nodes. */
    public static SimulatedCluster startIndexed(
            int index,
            String ciliumVersion,
            boolean validateApiServerStartup,
            boolean agentMetrics,
            boolean routedNodes) {
        SimulatedClusterSpec spec =
                SimulatedClusterSpec.forIndex(index).withApiServerStartupValidation(validateApiServerStartup);
        spec = ciliumVersion == null ? spec : spec.withCiliumVersion(ciliumVersion);
        SimulatedCluster cluster = start(agentMetrics ? spec : spec.withoutAgentMetrics());
        if (routedNodes) {
            cluster.nodeNetworks().forEach(cidr -> {
                cluster.ownRoutes.add(cidr);
                approveSubnetRoute(cidr);
            });
        }
        return cluster;
    }

    /** Routes this cluster added at start and removes when it closes. */
    private final List<String> ownRoutes = new java.util.concurrent.CopyOnWriteArrayList<>();

    static SimulatedCluster start(SimulatedClusterSpec spec) {
        SimulatedCluster cluster = new SimulatedCluster(spec);
        Map<String, String> publicKeys = new HashMap<>();
        for (var node : spec.nodes()) {
            publicKeys.put(node.name(), cluster.newNodeKey(node.name()));
        }
        CiliumInstallSeed.seed(cluster.client, spec, publicKeys);
        cluster.apiServer.podProxy(cluster::podProxy);
        cluster.apiServer.exec(cluster::exec);
        cluster.apiServer.podLog(cluster.apiServerPod::log);
        cluster.refresh();
        SimulatedNetwork.join(cluster);
        cluster.controlLoop = CONTROL.scheduleWithFixedDelay(cluster::refresh, 300, 300, TimeUnit.MILLISECONDS);
        return cluster;
    }

    /** Generates a WireGuard key "on the node" and returns the public half, as the agent would publish it. */
    String newNodeKey(String nodeName) {
        return wireGuard.firstStart(nodeName);
    }

    SimulatedWireGuard wireGuard() {
        return wireGuard;
    }

    SimulatedKubelet kubelet() {
        return kubelet;
    }

    SimulatedAgentExec agentExec() {
        return agentExec;
    }

    /**
     * Test hook for a cloned node image: the next key {@code node}'s agent generates is a copy of
     * {@code source}'s key file, so both nodes announce the same public key.
     */
    public void copyWireGuardKeyFileOnNextGeneration(String node, String source) {
        wireGuard.copyKeyFileOnNextGeneration(node, source);
    }

    /**
     * Test hook for exec failing in the middle of a rotation: the next {@code rm} of {@code node}'s
     * WireGuard key file in its agent exits 1 and leaves the file (and the agent) as they were.
     */
    public void failWireGuardKeyFileRemoval(String node) {
        wireGuard.failKeyFileRemovalOnce(node);
    }

    /**
     * Whether the simulated controllers have caught up: their last pass saw every write so far (its own
     * writes included, so a rollout it started has finished). Tests wait for this before comparing
     * snapshots, since a pod replaced a moment after an operation ends is the simulator's doing.
     */
    public boolean settled() {
        return apiServer.writeCount() == refreshedAtWrites && !wireGuard.restartPending();
    }

    private void refresh() {
        if (faults.contains(SimulatedFault.APISERVER_DOWN) || faults.contains(SimulatedFault.BLACKHOLE)) {
            return;
        }
        long writes = apiServer.writeCount();
        // Every round reads all of the cluster's ClusterMesh objects; with dozens of clusters that kept
        // the simulator's cores busy (bench P1), so a round with no write since the last one is skipped.
        // Only a pending agent restart is due to time rather than to a write.
        if (writes == refreshedAtWrites && !wireGuard.restartPending()) {
            return;
        }
        try {
            SimulatedControllers.reconcile(client, spec, apiServerPod);
            wireGuard.reconcile(client);
            kubelet.observe();
            SimulatedClusterView next = SimulatedClusterView.read(client);
            // The same state keeps the same view, so what was derived from it stays valid.
            if (!next.equals(view)) {
                view = next;
                SimulatedNetwork.changed();
            }
            refreshedAtWrites = writes;
            // After the view: the ReplicaSet's pods follow the Deployment the view has just seen.
        } catch (RuntimeException e) {
            // The next round tries again; a simulated cluster never stops on its own.
        }
    }

    /**
     * Exec in a clustermesh-apiserver pod (its kvstoremesh container's status, once the pod runs) or
     * in an agent ({@link SimulatedAgentExec} parses the argv as the real programs do).
     */
    private SimulatedExec.Result exec(String pod, String container, List<String> command) {
        if (apiServerPod.runs(pod)) {
            if (!view.kvstoremeshEnabled()
                    || !io.clustermesh.controller.cilium.CiliumNames.KVSTOREMESH_CONTAINER.equals(container)) {
                return SimulatedExec.Result.failed(
                        1, "error: unable to upgrade connection: container " + container + " not found in pod " + pod);
            }
            if (command.equals(io.clustermesh.controller.cilium.AgentCommands.KVSTOREMESH_STATUS)) {
                return SimulatedExec.Result.ok(SimulatedAgents.kvstoremeshStatus(this));
            }
            return SimulatedExec.Result.failed(1, "Error: unknown command or flag in: " + String.join(" ", command));
        }
        return agentExec.exec(pod, container, command);
    }

    boolean wireguardOn() {
        return view.wireguard();
    }

    Set<String> cachedRemotes() {
        return cachedRemotes;
    }

    private String podProxy(String pod, String path) {
        if (path.equals("/metrics") && apiServerPod.runs(pod) && view.kvstoremeshEnabled()) {
            return SimulatedAgents.kvstoremeshMetrics(this);
        }
        // Without prometheus.enabled nothing listens on :9962; the API server's proxy then fails.
        if (!path.equals("/metrics") || !spec.agentMetrics()) {
            return null;
        }
        String node = view.agentNodes().get(pod);
        // A crash-looping container listens on nothing: the API server's proxy fails.
        return node == null || wireGuard.crashLooping(node) ? null : agentMetrics(node);
    }

    /** The agent's metrics page, rendered again only after the network has changed. */
    String agentMetrics(String node) {
        long epoch = SimulatedNetwork.epoch();
        AgentPages current = pages;
        if (current.epoch() != epoch) {
            current = new AgentPages(epoch, new ConcurrentHashMap<>());
            pages = current;
        }
        // Rendered outside computeIfAbsent: a page may take a while and scrapes of other agents should not wait for it.
        String page = current.byNode().get(node);
        if (page == null) {
            page = SimulatedAgents.metrics(this, node);
            current.byNode().put(node, page);
        }
        return page;
    }

    SimulatedClusterView view() {
        return view;
    }

    java.time.Instant startedAt() {
        return startedAt;
    }

    /** Whether this cluster's clustermesh-apiserver answers a dial to {@code host:port} from outside. */
    boolean answersAt(String host, int port) {
        SimulatedClusterView v = view;
        if (!v.apiserverReady() || faults.contains(SimulatedFault.BLACKHOLE)) {
            return false;
        }
        if ("LoadBalancer".equals(v.serviceType())
                && port == io.clustermesh.controller.cilium.CiliumNames.ETCD_PORT
                && v.loadBalancerIps().contains(host)) {
            return true;
        }
        if (!"NodePort".equals(v.serviceType()) || v.nodePort() == null) {
            return false;
        }
        if (spec.behindNat()) {
            // The home router forwards its public port 32379 to the NodePort of the same number.
            return !faults.contains(SimulatedFault.PORT_FORWARD_REMOVED)
                    && host.equals(SimulatedNetwork.HOME_ROUTER_PUBLIC_IP)
                    && port == io.clustermesh.controller.cilium.CiliumNames.DEFAULT_NODE_PORT
                    && v.nodePort() == port;
        }
        return port == v.nodePort() && spec.nodes().stream().anyMatch(n -> host.equals(n.externalIp()));
    }

    /** Whether {@code host} is one of this cluster's outside addresses (router, load balancer, node). */
    boolean ownsAddress(String host) {
        if (spec.behindNat()) {
            return host.equals(SimulatedNetwork.HOME_ROUTER_PUBLIC_IP);
        }
        return view.loadBalancerIps().contains(host)
                || spec.nodes().stream().anyMatch(n -> host.equals(n.externalIp()));
    }

    public String name() {
        return spec.name();
    }

    public int clusterId() {
        return spec.clusterId();
    }

    public boolean behindNat() {
        return spec.behindNat();
    }

    SimulatedClusterSpec spec() {
        return spec;
    }

    KubernetesClient client() {
        return client;
    }

    SimulatedApiServer apiServer() {
        return apiServer;
    }

    public String serverUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** One Kubernetes API request the simulated cluster received from outside the simulation: method and path with query. */
    public record Request(String method, String path) {}

    /**
     * Test hook: from now on every request from outside the simulation (the service's) is appended to
     * the returned queue, so a test can check each against RBAC rules. Not used by the demo.
     */
    public java.util.Queue<Request> recordRequests() {
        return apiServer.record();
    }

    /** Requests from outside the simulation so far, by method and path with object names left out. */
    public Map<String, Long> requestsByKind() {
        return apiServer.requestsByKind();
    }

    public long requestCount() {
        return apiServer.requestCount();
    }

    public long execCount() {
        return apiServer.execCount();
    }

    public Set<SimulatedFault> faults() {
        return faults.isEmpty() ? Set.of() : EnumSet.copyOf(faults);
    }

    public void latency(Duration latency, Duration jitter) {
        apiServer.latency(latency, jitter);
    }

    /**
     * Test-only fault injection: the {@code nth} Kubernetes write from now answers as {@code fault}
     * says ({@code hold}: how long a hang or a slow write takes to answer).
     */
    public void failWrite(int nth, SimulatedWriteFault fault, Duration hold) {
        apiServer.failWrite(nth, fault, hold);
    }

    public void inject(SimulatedFault fault) {
        faults.add(fault);
        if (fault == SimulatedFault.POD_CIDR_OVERLAP) {
            podCidr(OVERLAPPING_POD_CIDR);
        }
        if (fault == SimulatedFault.AGENT_CRASH) {
            wireGuard.crashLoop(client, true);
        }
        applyFaults();
    }

    public void heal() {
        if (faults.contains(SimulatedFault.POD_CIDR_OVERLAP)) {
            podCidr(spec.podCidr());
        }
        boolean crashed = faults.contains(SimulatedFault.AGENT_CRASH);
        faults.clear();
        applyFaults();
        if (crashed) {
            wireGuard.crashLoop(client, false);
        }
    }

    /** The chart's default cluster pool: two default installs always overlap (contract dataplane.md N2). */
    private static final String OVERLAPPING_POD_CIDR = "10.0.0.0/8";

    private void podCidr(String cidr) {
        client.configMaps()
                .inNamespace(io.clustermesh.controller.cilium.CiliumNames.DEFAULT_NAMESPACE)
                .withName(io.clustermesh.controller.cilium.CiliumNames.CONFIG_MAP)
                .edit(cm -> {
                    cm.getData().put(io.clustermesh.controller.cilium.CiliumNames.KEY_POD_CIDR_V4, cidr);
                    return cm;
                });
    }

    private void applyFaults() {
        SimulatedNetwork.changed();
        apiServer.apiserverDown(faults.contains(SimulatedFault.APISERVER_DOWN));
        apiServer.blackhole(faults.contains(SimulatedFault.BLACKHOLE));
    }

    /** The mock server records every request; drop them so a long demo does not grow without bound. */
    void forgetRecordedRequests() {
        try {
            while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
                // drained
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes a kubeconfig for this cluster; the cluster entry is marked simulated and names the
     * simulated network's endpoint, through which a service in another process dials its endpoints.
     */
    public Path writeKubeconfig(Path directory) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                # Simulated cluster of the clustermesh-controller demo: a fabric8 mock API server.
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    extensions:
                    - name: %3$s
                      extension:
                        apiVersion: v1
                        kind: SimulatedCluster
                        simulated: true
                        network: %6$s
                %5$scontexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s-admin
                    namespace: kube-system
                current-context: %1$s
                users:
                - name: %1$s-admin
                  user:
                    token: %4$s
                """.formatted(
                        spec.name(),
                        serverUrl(),
                        ManagedCluster.SIMULATED_EXTENSION,
                        token,
                        reachabilityExtension(),
                        SimulatedNetworkEndpoint.url());
        Path file = directory.resolve(spec.name());
        Files.writeString(file, yaml);
        return file;
    }

    /** The homelab is reached through its home router's port-forward (kubeconfig extension lines). */
    private String reachabilityExtension() {
        if (!spec.behindNat()) {
            return "";
        }
        return "    - name: " + ManagedCluster.REACHABILITY_EXTENSION + "\n"
                + "      extension:\n"
                + "        apiVersion: v1\n"
                + "        kind: Reachability\n"
                + "        mode: port-forward\n"
                + "        endpoint: \"" + SimulatedNetwork.HOME_ROUTER_PUBLIC_IP + ":"
                + io.clustermesh.controller.cilium.CiliumNames.DEFAULT_NODE_PORT + "\"\n";
    }

    @Override
    public void close() {
        if (controlLoop != null) {
            controlLoop.cancel(true);
        }
        SimulatedNetwork.leave(this);
        ownRoutes.forEach(SimulatedNetwork::removeSubnetRoute);
        client.close();
        server.destroy();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
