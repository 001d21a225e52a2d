package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterSnapshot;
import io.clustermesh.controller.cilium.MeshMember;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.PlanExecutor;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Enable, connect, disconnect and disable. Each mutation takes the locks of the clusters it
 * writes, then reads them, validates, plans and applies that same plan as an operation. A dry
 * run plans without locks: it is a point-in-time plan, which its response says.
 */
@ApplicationScoped
public class MeshService {
    /**
     * Held by whatever chooses or replaces the shared mesh CA (a shared-CA enable, a CA rotation):
     * three parallel enables each found no CA and made three (issue 15).
     */
    public static final String SHARED_CA_LOCK = "shared mesh CA";
    /** How long a request queues for the shared CA (one enable holds it for a few writes; a CA rotation for its phases). */
    public static final Duration SHARED_CA_WAIT = Duration.ofSeconds(30);

    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final OperationService operations;
    private final PlanExecutor executor;
    private final Clock clock;
    private final String namespace;
    private final Duration readyTimeout;

    public MeshService(
            ClusterRegistry registry,
            FanOut fanOut,
            OperationService operations,
            PlanExecutor executor,
            Clock clock,
            MeshConfig config) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.operations = operations;
        this.executor = executor;
        this.clock = clock;
        this.namespace = config.namespace();
        this.readyTimeout = config.operations().readyTimeout();
    }

    public MutationResult enable(String name, EnableRequest request, boolean dryRun, String caller) {
        EnableRequest valid = EnablePlanner.validate(request);
        ManagedCluster cluster = registry.require(name);
        if (dryRun) {
            return new MutationResult.Planned(planEnable(cluster, valid, true));
        }
        // Choosing the shared CA reads the other clusters: parallel enables queue for it, one choosing after the other,
        // and each gives it back once its CA is written (before the long wait for readiness).
        List<String> queued = "shared".equals(valid.ca()) ? List.of(SHARED_CA_LOCK) : List.of();
        return underLocks(
                "enable", name, caller, List.of(name), queued, reservation -> planEnable(cluster, valid, false));
    }

    public MutationResult connect(List<String> names, boolean dryRun, String caller) {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(names));
        if (unique.size() < 2) {
            throw ProblemException.invalid("clusters", "connect needs at least two different clusters");
        }
        if (unique.size() != names.size()) {
            throw new ProblemException(
                    ProblemType.DUPLICATE_CLUSTER_NAME, "a cluster is listed twice: " + names, "clusters");
        }
        unique.forEach(registry::require);
        if (dryRun) {
            return new MutationResult.Planned(planConnect(unique, true));
        }
        return underLocks(
                "connect",
                String.join(",", unique),
                caller,
                unique,
                List.of(),
                reservation -> planConnectLockingPeers(unique, reservation));
    }

    public MutationResult disconnect(String a, String b, boolean dryRun, String caller) {
        if (a.equals(b)) {
            throw ProblemException.invalid("b", "a cluster cannot be linked to itself");
        }
        registry.require(a);
        registry.require(b);
        if (dryRun) {
            return new MutationResult.Planned(planDisconnect(a, b, true));
        }
        return underLocks(
                "disconnect",
                a + "," + b,
                caller,
                List.of(a, b),
                List.of(),
                reservation -> planDisconnect(a, b, false));
    }

    public MutationResult disable(String name, boolean force, boolean dryRun, String caller) {
        ManagedCluster cluster = registry.require(name);
        if (dryRun) {
            return new MutationResult.Planned(planDisable(cluster, force, true));
        }
        return underLocks(
                "disable", name, caller, List.of(name), List.of(), reservation -> planDisable(cluster, force, false));
    }

    private Plan planEnable(ManagedCluster cluster, EnableRequest valid, boolean dryRun) {
        ClusterSnapshot snapshot = ClusterSnapshot.read(cluster, namespace);
        Optional<CertificateAuthority> shared =
                "shared".equals(valid.ca()) && snapshot.meshCa().isEmpty()
                        ? findSharedCa(cluster.name())
                        : Optional.empty();
        List<String> extraDns = new ArrayList<>();
        List<String> extraIps = new ArrayList<>();
        cluster.reachabilityEndpoint().ifPresent(endpoint -> {
            String host = endpoint.contains(":") ? endpoint.substring(0, endpoint.lastIndexOf(':')) : endpoint;
            // "[fd00::1]:2379": the chart's Go templates parse the IP without brackets (Java accepts both).
            (looksLikeIp(host) ? extraIps : extraDns).add(host.replaceAll("^\\[(.*)]$", "$1"));
        });
        Optional<HelmModeRelease> helm = HelmModeRelease.read(snapshot, cluster.gateway(), namespace);
        if (helm.isPresent()) {
            // Helm mode hands over what direct mode wrote: that needs our objects too.
            ClusterSnapshot withOurs = ClusterSnapshot.read(cluster, namespace, ClusterSnapshot.Extra.OWNED);
            return helmPlanner(dryRun).enable(withOurs, helm.get(), valid, shared, extraDns, extraIps);
        }
        return new EnablePlanner(namespace, clock, readyTimeout).plan(snapshot, valid, shared, extraDns, extraIps);
    }

    private Plan planConnect(List<String> names, boolean dryRun) {
        List<ClusterSnapshot> snapshots = snapshots(names, ClusterSnapshot.Extra.ADDRESSES);
        return connectPlan(snapshots, alreadyLinkedPeers(snapshots), dryRun);
    }

    /** Helm mode when a Helm release owns Cilium in every cluster, direct mode when in none. */
    private Plan connectPlan(List<ClusterSnapshot> snapshots, List<MeshMember> peers, boolean dryRun) {
        Map<String, HelmModeRelease> releases = helmReleases(snapshots);
        if (releases.isEmpty()) {
            return new ConnectPlanner(namespace, readyTimeout).connect(snapshots, peers);
        }
        return helmPlanner(dryRun).connect(snapshots, releases, peers);
    }

    /**
     * The Helm releases that own Cilium in {@code snapshots}, by cluster: all of them or none. A link
     * between a Helm-mode and a direct-mode cluster is refused: each side would be written differently.
     */
    private Map<String, HelmModeRelease> helmReleases(List<ClusterSnapshot> snapshots) {
        Map<String, HelmModeRelease> releases = new java.util.LinkedHashMap<>();
        snapshots.forEach(
                s -> HelmModeRelease.read(s, registry.require(s.name()).gateway(), namespace)
                        .ifPresent(r -> releases.put(s.name(), r)));
        if (!releases.isEmpty() && releases.size() != snapshots.size()) {
            List<String> direct = snapshots.stream()
                    .map(ClusterSnapshot::name)
                    .filter(n -> !releases.containsKey(n))
                    .toList();
            // Mixed mode (one plan writing values on one side, objects on the other) is not built yet;
            // the way through today is the hand-over, which keeps the links up (docs/helm.md).
            throw new ProblemException(
                    ProblemType.INCOMPATIBLE_CLUSTERS,
                    "a Helm release owns Cilium in " + releases.keySet() + " but not in " + direct
                            + "; linking a Helm-mode cluster with a direct-mode one is not supported yet. To link"
                            + " them, install Cilium's chart with Helm over the running Cilium of each of " + direct
                            + " (helm install cilium cilium/cilium --namespace " + namespace
                            + " with the values it runs with), then enable it again"
                            + " (PUT /api/v1/clusters/{cluster}/clustermesh hands the objects over to the release)"
                            + " and connect again",
                    "clusters");
        }
        return releases;
    }

    private HelmModePlanner helmPlanner(boolean dryRun) {
        return new HelmModePlanner(namespace, clock, readyTimeout, this::helmTemplate, dryRun);
    }

    /** {@code helm template} with the release's own chart: what the upgrade would apply (dry run, hand-over). */
    private String helmTemplate(
            ClusterSnapshot cluster,
            io.clustermesh.controller.cilium.HelmRelease release,
            io.clustermesh.controller.cilium.HelmRelease pristine,
            com.fasterxml.jackson.databind.node.ObjectNode values) {
        return new io.clustermesh.controller.cilium.HelmValuesUpgrade(null, true)
                .render(release, pristine, values, kubeVersion(cluster));
    }

    /** The cluster's Kubernetes version as its kubelets report it (charts check it), e.g. {@code 1.31.0}. */
    private String kubeVersion(ClusterSnapshot cluster) {
        return registry.require(cluster.name()).gateway().nodes().stream()
                .map(n -> n.getStatus() == null || n.getStatus().getNodeInfo() == null
                        ? null
                        : n.getStatus().getNodeInfo().getKubeletVersion())
                .filter(v -> v != null && v.matches("v?\\d+\\.\\d+\\.\\d+.*"))
                .map(v -> v.replaceFirst("^v", "").replaceFirst("[-+].*$", ""))
                .findFirst()
                .orElse("1.31.0");
    }

    /**
     * The identity check of a connect reads the clusters the requested ones are already linked to.
     * Those are only known after reading, so their locks are taken then (all or none, like the
     * rest; a busy one is a 409) and everything is read again, until what was read is all locked.
     * The peer set comes from the requested clusters, which are locked, so this settles at once.
     */
    private Plan planConnectLockingPeers(List<String> names, OperationService.Reservation reservation) {
        while (true) {
            List<ClusterSnapshot> snapshots = snapshots(names, ClusterSnapshot.Extra.ADDRESSES);
            List<MeshMember> peers = alreadyLinkedPeers(snapshots);
            List<String> peerLocks = peers.stream().map(MeshMember::clusterKey).toList();
            if (reservation.locks().containsAll(peerLocks)) {
                return connectPlan(snapshots, peers, false);
            }
            reservation.extend(peerLocks);
        }
    }

    private Plan planDisconnect(String a, String b, boolean dryRun) {
        List<ClusterSnapshot> snapshots = snapshots(List.of(a, b));
        Map<String, HelmModeRelease> releases = helmReleases(snapshots);
        if (!releases.isEmpty()) {
            return helmPlanner(dryRun).disconnect(snapshots.get(0), snapshots.get(1), releases);
        }
        return new ConnectPlanner(namespace, readyTimeout).disconnect(snapshots.get(0), snapshots.get(1));
    }

    private Plan planDisable(ManagedCluster cluster, boolean force, boolean dryRun) {
        ClusterSnapshot snapshot = ClusterSnapshot.read(cluster, namespace, ClusterSnapshot.Extra.OWNED);
        Optional<HelmModeRelease> helm = HelmModeRelease.read(snapshot, cluster.gateway(), namespace);
        if (helm.isPresent()) {
            return helmPlanner(dryRun).disable(snapshot, helm.get(), force);
        }
        return new DisablePlanner().plan(snapshot, force);
    }

    /**
     * Locks first, then read, plan and run (issue 15): a plan made before the locks could be made
     * from a cluster another operation was still writing, and then write half a link and succeed.
     * Planning refused (bad state, cluster down) releases the locks; a busy lock is a 409. A
     * planner that learns only by reading which further clusters it must lock extends the
     * reservation ({@link OperationService.Reservation#extend}).
     */
    private MutationResult underLocks(
            String kind,
            String target,
            String caller,
            List<String> locks,
            List<String> queued,
            Function<OperationService.Reservation, Plan> planner) {
        try (var reservation = operations.reserve(kind, target, caller, locks, queued, SHARED_CA_WAIT)) {
            Plan plan = planner.apply(reservation);
            plan.clusters().stream()
                    .filter(c -> !reservation.locks().contains(c))
                    .findFirst()
                    .ifPresent(c -> {
                        throw new ProblemException(
                                ProblemType.INTERNAL,
                                "the " + kind + " plan writes to cluster " + c + ", which it did not lock");
                    });
            var operation = operations.start(reservation, plan.warnings(), op -> executor.run(plan, op));
            return new MutationResult.Started(operation, plan);
        }
    }

    private List<ClusterSnapshot> snapshots(List<String> names, ClusterSnapshot.Extra... extras) {
        List<ManagedCluster> clusters = names.stream().map(registry::require).toList();
        var answers = fanOut.ask(clusters, c -> ClusterSnapshot.read(c, namespace, extras));
        List<ClusterSnapshot> result = new ArrayList<>();
        for (ManagedCluster c : clusters) {
            var answer = answers.get(c);
            if (!answer.ok()) {
                throw new ProblemException(
                        ProblemType.CLUSTER_UNREACHABLE, "cluster " + c.name() + ": " + answer.error(), "clusters");
            }
            result.add(answer.value());
        }
        return result;
    }

    /** Managed clusters outside {@code requested} that one of them already has entries for. */
    private List<MeshMember> alreadyLinkedPeers(List<ClusterSnapshot> requested) {
        Set<String> peerNames = new HashSet<>();
        for (ClusterSnapshot snapshot : requested) {
            peerNames.addAll(snapshot.linkedRemotes());
        }
        // Peers are matched by cluster, not by name: a requested cluster renamed to an existing peer's name must
        // collide with it.
        if (peerNames.isEmpty()) {
            return List.of();
        }
        Set<String> requestedClusters =
                requested.stream().map(ClusterSnapshot::name).collect(Collectors.toSet());
        List<ManagedCluster> others = registry.clusters().stream()
                .filter(c -> !requestedClusters.contains(c.name()))
                .toList();
        var answers = fanOut.ask(
                others,
                c -> c.gateway().configMap(namespace, CiliumNames.CONFIG_MAP).map(CiliumConfig::from));
        List<MeshMember> peers = new ArrayList<>();
        answers.forEach((cluster, answer) -> {
            if (answer.ok()
                    && answer.value().isPresent()
                    && peerNames.contains(answer.value().get().clusterName())) {
                peers.add(new MeshMember(cluster.name(), answer.value().get()));
            }
        });
        return peers;
    }

    /** Shared-CA mode: the first other cluster (by name) that already holds a mesh CA lends it. */
    private Optional<CertificateAuthority> findSharedCa(String except) {
        List<ManagedCluster> others = registry.clusters().stream()
                .filter(c -> !c.name().equals(except))
                .sorted(Comparator.comparing(ManagedCluster::name))
                .toList();
        var answers = fanOut.ask(others, c -> c.gateway().secret(namespace, ApiServerObjects.MESH_CA_SECRET));
        for (ManagedCluster c : others) {
            var answer = answers.get(c);
            if (answer.ok() && answer.value().isPresent()) {
                var secret = answer.value().get();
                return Optional.of(CertificateAuthority.load(
                        ApiServerObjects.decode(secret, CiliumNames.CA_CRT),
                        ApiServerObjects.decode(secret, CiliumNames.CA_KEY),
                        clock));
            }
        }
        return Optional.empty();
    }

    private static boolean looksLikeIp(String host) {
        return host.matches("[0-9.]+") || host.contains(":") || (host.startsWith("[") && host.endsWith("]"));
    }
}
