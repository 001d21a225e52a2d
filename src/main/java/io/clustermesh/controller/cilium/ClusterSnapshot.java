package io.clustermesh.controller.cilium;

import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.problems.GitOpsManagedException;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One cluster's Cilium, read once per mutation: everything a planner may look at. Planners take
 * snapshots (and a clock) and read nothing else, so a plan is a function of what was read and a
 * dry run shows exactly what a run would do.
 *
 * @param name the cluster's name in this service (its kubeconfig context), not Cilium's cluster-name
 * @param services every Service of the Cilium namespace by name: the apiserver's, its metrics
 *     Service, the Tailscale egress Services of connect
 * @param secrets the mesh Secrets that exist, by name (the mesh CA, the four TLS Secrets,
 *     {@code cilium-clustermesh}, {@code cilium-kvstoremesh})
 * @param nodes read with {@link Extra#ADDRESSES} only (how remotes dial a NodePort)
 * @param hostnameAddresses what the apiserver LoadBalancer's hostnames resolve to, with {@link Extra#ADDRESSES}
 * @param owned with {@link Extra#OWNED} only: the namespaced objects carrying our label, in the
 *     order disable deletes them
 */
public record ClusterSnapshot(
        String name,
        Settings settings,
        CiliumConfig config,
        HelmOwnership ciliumHelm,
        String agentImage,
        CiliumOwner owner,
        Optional<Deployment> apiserver,
        Map<String, Service> services,
        Map<String, Secret> secrets,
        Optional<ConfigMap> remoteUsers,
        Optional<ServiceAccount> serviceAccount,
        Optional<ClusterRole> clusterRole,
        Optional<ClusterRoleBinding> clusterRoleBinding,
        List<Node> nodes,
        Map<String, List<String>> hostnameAddresses,
        List<HasMetadata> owned) {

    /** Read beyond what every mutation needs. */
    public enum Extra {
        /** Nodes and resolved LoadBalancer hostnames: where others dial this cluster (connect). */
        ADDRESSES,
        /** Every namespaced object of ours (disable). */
        OWNED
    }

    /**
     * What this service is told about the cluster rather than reads from it.
     *
     * @param apiserverImage {@code mesh.clusters.<name>.apiserver-image}, null for none
     * @param reachabilityEndpoint the endpoint others dial behind NAT, if declared
     */
    public record Settings(String apiserverImage, Optional<String> reachabilityEndpoint, String reachabilityMode) {
        public static final Settings DIRECT = new Settings(null, Optional.empty(), "direct");

        static Settings of(ManagedCluster cluster) {
            return new Settings(
                    cluster.settings().flatMap(s -> s.apiserverImage()).orElse(null),
                    cluster.reachabilityEndpoint(),
                    cluster.reachabilityMode());
        }
    }

    /** The Secrets read by name, kept in a snapshot when they exist. */
    private static final List<String> MESH_SECRETS = Stream.concat(
                    Stream.of(
                            ApiServerObjects.MESH_CA_SECRET,
                            CiliumNames.CLUSTERMESH_SECRET,
                            CiliumNames.KVSTOREMESH_SECRET),
                    CiliumNames.TLS_SECRETS.stream())
            .toList();

    private static final List<Class<? extends HasMetadata>> OWNED_KINDS =
            List.of(Deployment.class, Service.class, ServiceAccount.class, Secret.class);

    public ClusterSnapshot {
        services = Map.copyOf(services);
        secrets = Map.copyOf(secrets);
        nodes = List.copyOf(nodes);
        hostnameAddresses = Map.copyOf(hostnameAddresses);
        owned = List.copyOf(owned);
    }

    public boolean enabled() {
        return apiserver.isPresent();
    }

    public Optional<Service> service() {
        return service(CiliumNames.APISERVER);
    }

    public Optional<Service> service(String serviceName) {
        return Optional.ofNullable(services.get(serviceName));
    }

    public Optional<Secret> secret(String secretName) {
        if (!MESH_SECRETS.contains(secretName)) {
            throw new IllegalArgumentException(secretName + " is not read into a snapshot");
        }
        return Optional.ofNullable(secrets.get(secretName));
    }

    public Optional<Secret> meshCa() {
        return secret(ApiServerObjects.MESH_CA_SECRET);
    }

    public Optional<Secret> remoteCert() {
        return secret(CiliumNames.REMOTE_CERT_SECRET);
    }

    public Optional<Secret> serverCert() {
        return secret(CiliumNames.SERVER_CERT_SECRET);
    }

    /** The remotes whose KVStoreMesh entries we wrote here: the links this cluster has. */
    public List<String> linkedRemotes() {
        return secret(CiliumNames.KVSTOREMESH_SECRET)
                .map(s -> MeshLabels.remotesIn(s.getMetadata(), MeshLabels.WRITTEN_REMOTES))
                .orElse(List.of());
    }

    /** The agents' version as written in their image tag, e.g. {@code 1.18.11}. */
    public String ciliumVersion() {
        return ApiServerImage.versionOf(agentImage);
    }

    /** The agents' release, refused (409) outside the range whose charts we render. */
    public CiliumRelease release() {
        String version = ciliumVersion();
        CiliumRelease release;
        try {
            release = CiliumRelease.parse(version == null ? "" : version);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    ProblemType.UNSUPPORTED_CILIUM_VERSION,
                    "cluster " + name + ": the cilium-agent image "
                            + agentImage + " carries no version tag; ClusterMesh can be managed for Cilium "
                            + CiliumRelease.SUPPORTED_RANGE
                            + " (set mesh.clusters." + name
                            + ".apiserver-image if a digest-only image hides the version)",
                    "cluster");
        }
        return release.requireSupported(name);
    }

    public String apiserverImage() {
        return ApiServerImage.forCluster(agentImage, release(), settings.apiserverImage());
    }

    /**
     * A GitOps tool owns Cilium here: nothing is written, the caller gets the values to commit.
     *
     * @param values the chart values expressing the refused change
     */
    public void refuseIfGitOps(String change, String values) {
        if (owner.gitops()) {
            throw new GitOpsManagedException(
                    "cluster " + name + ": Cilium is managed by " + owner.kind() + " ("
                            + (owner.name() == null ? "" : owner.name() + ", ") + "found " + owner.detectedBy()
                            + "); a write here would be reverted at its next sync. "
                            + "Commit these values to the Cilium chart values in Git to " + change + ", then let "
                            + owner.kind() + " sync",
                    values);
        }
    }

    /** The image of the agent container of Cilium's DaemonSet. */
    public static Optional<String> agentImage(DaemonSet agents) {
        return agents.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> CiliumNames.AGENT_CONTAINER.equals(c.getName()))
                .findFirst()
                .map(Container::getImage);
    }

    public static ClusterSnapshot read(ManagedCluster cluster, String namespace, Extra... extras) {
        return read(cluster, namespace, ClusterSnapshot::resolve, extras);
    }

    /** @param resolver a hostname's addresses (empty when it does not resolve) */
    public static ClusterSnapshot read(
            ManagedCluster cluster, String namespace, Function<String, List<String>> resolver, Extra... extras) {
        Set<Extra> wanted = extras.length == 0 ? EnumSet.noneOf(Extra.class) : EnumSet.of(extras[0], extras);
        ClusterGateway gateway = cluster.gateway();
        ConfigMap configMap = gateway.configMap(namespace, CiliumNames.CONFIG_MAP)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CILIUM_NOT_READY_FOR_MESH,
                        "cluster " + cluster.name() + ": ConfigMap " + namespace + "/" + CiliumNames.CONFIG_MAP
                                + " not found; install Cilium (or set mesh.namespace) first",
                        "cluster"));
        Optional<DaemonSet> agents = gateway.daemonSet(namespace, CiliumNames.AGENT_DAEMONSET);
        String agentImage = agents.flatMap(ClusterSnapshot::agentImage)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CILIUM_NOT_READY_FOR_MESH,
                        "cluster " + cluster.name() + ": DaemonSet " + namespace + "/" + CiliumNames.AGENT_DAEMONSET
                                + " with container " + CiliumNames.AGENT_CONTAINER + " not found",
                        "cluster"));
        Map<String, Service> services = new LinkedHashMap<>();
        gateway.list(Service.class, namespace, Map.of())
                .forEach(s -> services.put(s.getMetadata().getName(), s));
        Map<String, Secret> secrets = new LinkedHashMap<>();
        MESH_SECRETS.forEach(n -> gateway.secret(namespace, n).ifPresent(s -> secrets.put(n, s)));
        List<Node> nodes = wanted.contains(Extra.ADDRESSES) ? gateway.nodes() : List.of();
        Map<String, List<String>> addresses = new LinkedHashMap<>();
        if (wanted.contains(Extra.ADDRESSES)) {
            loadBalancerHostnames(services.get(CiliumNames.APISERVER))
                    .forEach(h -> addresses.put(h, List.copyOf(resolver.apply(h))));
        }
        List<HasMetadata> owned = new ArrayList<>();
        if (wanted.contains(Extra.OWNED)) {
            Map<String, String> ours = Map.of(MeshLabels.MANAGED_BY_KEY, MeshLabels.MANAGED_BY_VALUE);
            OWNED_KINDS.forEach(kind -> owned.addAll(gateway.list(kind, namespace, ours)));
        }
        return new ClusterSnapshot(
                cluster.name(),
                Settings.of(cluster),
                CiliumConfig.from(configMap),
                HelmOwnership.of(configMap.getMetadata()),
                agentImage,
                CiliumOwner.fromMarkers(agents.map(DaemonSet::getMetadata).orElse(null), configMap.getMetadata())
                        .withReleaseRecords(gateway.list(Secret.class, namespace, HelmReleaseRecord.SELECTOR).stream()
                                .flatMap(secret -> HelmReleaseRecord.decode(secret).stream())
                                .toList()),
                gateway.deployment(namespace, CiliumNames.APISERVER),
                services,
                secrets,
                gateway.configMap(namespace, ApiServerObjects.REMOTE_USERS_CONFIG_MAP),
                // Listed, not read by name: the shipped RBAC grants list on service accounts, not get.
                gateway.list(ServiceAccount.class, namespace, Map.of()).stream()
                        .filter(sa ->
                                CiliumNames.APISERVER.equals(sa.getMetadata().getName()))
                        .findFirst(),
                gateway.get(ClusterRole.class, null, CiliumNames.APISERVER),
                gateway.get(ClusterRoleBinding.class, null, CiliumNames.APISERVER),
                nodes,
                addresses,
                owned);
    }

    /** A LoadBalancer that publishes a hostname (EKS) may be dialled by that name. */
    public static List<String> loadBalancerHostnames(Service service) {
        if (service == null
                || service.getStatus() == null
                || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return service.getStatus().getLoadBalancer().getIngress().stream()
                .map(LoadBalancerIngress::getHostname)
                .filter(h -> h != null && !h.isBlank())
                .toList();
    }

    private static List<String> resolve(String host) {
        try {
            return Stream.of(InetAddress.getAllByName(host))
                    .map(InetAddress::getHostAddress)
                    .distinct()
                    .toList();
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}
