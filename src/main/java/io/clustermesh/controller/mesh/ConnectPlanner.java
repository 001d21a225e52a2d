package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.AccessInformation;
import io.clustermesh.controller.cilium.ApiServerChart;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumVersion;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.cilium.ClusterMeshValues;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.cilium.MeshMember;
import io.clustermesh.controller.cilium.MeshValidator;
import io.clustermesh.controller.cilium.RemoteClientTls;
import io.clustermesh.controller.cilium.RemoteEndpoint;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.pki.CaBundle;
import io.clustermesh.controller.pki.Pem;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.tailscale.TailscaleExposure;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Plans connect and disconnect. KVStoreMesh is on (the chart default, §0.2): the local
 * kvstoremesh reads {@code cilium-kvstoremesh} to reach each remote and the agents read the local
 * cache through {@code cilium-clustermesh} (§5.2 B); host aliases go on the clustermesh-apiserver
 * Deployment, which restarts that pod only, never the agents.
 */
final class ConnectPlanner {
    private final String namespace;
    private final Duration readyTimeout;
    private final Function<String, List<String>> resolver;

    /** @param readyTimeout how long the run waits for what it started (a Tailscale egress proxy) */
    ConnectPlanner(String namespace, Duration readyTimeout) {
        this(namespace, readyTimeout, ConnectPlanner::resolve);
    }

    /** @param resolver a LoadBalancer hostname's addresses (empty when it does not resolve) */
    ConnectPlanner(String namespace, Duration readyTimeout, Function<String, List<String>> resolver) {
        this.namespace = namespace;
        this.readyTimeout = readyTimeout;
        this.resolver = resolver;
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

    /**
     * Connects every pair of {@code clusters} (a pair is a mesh of two). {@code alreadyLinked} are
     * clusters outside the request that some of them already reach: names and ids must stay unique
     * across the whole mesh, not only within the request.
     */
    Plan connect(List<ClusterSnapshot> clusters, List<MeshMember> alreadyLinked) {
        validate(clusters, alreadyLinked);
        Map<String, RemoteEndpoint> endpoints = new LinkedHashMap<>();
        for (ClusterSnapshot c : clusters) {
            endpoints.put(c.name(), endpointOf(c));
        }
        for (ClusterSnapshot c : clusters) {
            c.refuseIfGitOps(
                    "connect it",
                    ClusterMeshValues.connect(clusters.stream()
                            .filter(r -> r != c)
                            .map(r -> endpoints.get(r.name()))
                            .toList()));
        }
        List<Step> changes = new ArrayList<>();
        List<Step> proxiesReady = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        // Egress proxies first: the kvstoremesh entries written after them point at their Services.
        for (ClusterSnapshot local : clusters) {
            clusters.stream()
                    .filter(r -> r != local && tailnetExposed(r))
                    .forEach(remote -> planEgress(changes, proxiesReady, local, remote));
        }
        for (ClusterSnapshot local : clusters) {
            List<ClusterSnapshot> remotes =
                    clusters.stream().filter(c -> c != local).toList();
            Map<String, String> kvstoremesh = new LinkedHashMap<>();
            Map<String, String> agents = new LinkedHashMap<>();
            List<HostAlias> aliases = new ArrayList<>();
            for (ClusterSnapshot remote : remotes) {
                RemoteEndpoint endpoint =
                        renamed(endpoints.get(remote.name()), remote.config().clusterName());
                kvstoremesh.putAll(ClusterMeshSecretEntries.directEntries(endpoint, clientTls(local, remote)));
                agents.putAll(ClusterMeshSecretEntries.kvstoreMeshAgentEntries(
                        remote.config().clusterName(), namespace, CiliumVersion.parse(local.ciliumVersion())));
                aliases.addAll(ClusterMeshSecretEntries.hostAliasesFor(endpoint));
                if (endpoint instanceof RemoteEndpoint.ViaAddress address
                        && !serverCertCovers(remote, address.address())) {
                    warnings.add(remote.name() + " is dialled at " + address.address()
                            + " which its server certificate does not name; re-run enable on " + remote.name()
                            + " so the certificate covers it");
                }
            }
            List<String> remoteNames =
                    remotes.stream().map(r -> r.config().clusterName()).toList();
            mergeSecret(
                    changes,
                    local,
                    CiliumNames.KVSTOREMESH_SECRET,
                    kvstoremesh,
                    remoteNames,
                    List.of(),
                    "KVStoreMesh entries for " + remoteNames);
            mergeSecret(
                    changes,
                    local,
                    CiliumNames.CLUSTERMESH_SECRET,
                    agents,
                    remoteNames,
                    List.of(),
                    "agent entries for " + remoteNames);
            updateRemoteUsers(changes, local, remoteNames, List.of());
            updateHostAliases(changes, local, remoteNames, aliases);
        }
        changes.addAll(proxiesReady);
        return new Plan(
                "connect",
                String.join(",", clusters.stream().map(ClusterSnapshot::name).toList()),
                changes,
                warnings);
    }

    /** Removes exactly what connect wrote about each side in the other. */
    Plan disconnect(ClusterSnapshot a, ClusterSnapshot b) {
        a.refuseIfGitOps(
                "disconnect it: remove the entry named " + b.config().clusterName()
                        + " from clustermesh.config.clusters",
                "# clustermesh.config.clusters without the entry named "
                        + b.config().clusterName() + "\n");
        b.refuseIfGitOps(
                "disconnect it: remove the entry named " + a.config().clusterName()
                        + " from clustermesh.config.clusters",
                "# clustermesh.config.clusters without the entry named "
                        + a.config().clusterName() + "\n");
        List<Step> changes = new ArrayList<>();
        for (var pair : List.of(List.of(a, b), List.of(b, a))) {
            ClusterSnapshot local = pair.get(0);
            String remoteName = pair.get(1).config().clusterName();
            mergeSecret(
                    changes,
                    local,
                    CiliumNames.KVSTOREMESH_SECRET,
                    Map.of(),
                    List.of(),
                    List.of(remoteName),
                    "remove entries for " + remoteName);
            mergeSecret(
                    changes,
                    local,
                    CiliumNames.CLUSTERMESH_SECRET,
                    Map.of(),
                    List.of(),
                    List.of(remoteName),
                    "remove entries for " + remoteName);
            updateRemoteUsers(changes, local, List.of(), List.of(remoteName));
            updateHostAliases(changes, local, List.of(), List.of(), remoteName);
            local.gateway()
                    .service(namespace, TailscaleExposure.egressServiceName(remoteName))
                    .filter(s -> MeshLabels.isOurs(s.getMetadata()))
                    .ifPresent(s ->
                            changes.add(Step.Delete.of(local.name(), s, "Tailscale egress proxy to " + remoteName)));
        }
        return new Plan("disconnect", a.name() + "," + b.name(), changes, List.of());
    }

    void validate(List<ClusterSnapshot> clusters, List<MeshMember> alreadyLinked) {
        for (ClusterSnapshot c : clusters) {
            if (!c.enabled()) {
                throw new ProblemException(
                        ProblemType.CLUSTERMESH_NOT_ENABLED,
                        "cluster " + c.name()
                                + " has no clustermesh-apiserver; enable ClusterMesh on it first (PUT /api/v1/clusters/"
                                + c.name() + "/clustermesh)",
                        "clusters");
            }
            if (c.remoteCert().isEmpty()) {
                throw new ProblemException(
                        ProblemType.CLUSTERMESH_NOT_ENABLED,
                        "cluster " + c.name() + " has no " + CiliumNames.REMOTE_CERT_SECRET + "; re-run enable on it",
                        "clusters");
            }
        }
        List<MeshMember> members = new ArrayList<>(
                clusters.stream().map(c -> new MeshMember(c.name(), c.config())).toList());
        members.addAll(alreadyLinked);
        MeshValidator.requireValid(members);
    }

    /** Where others dial this cluster: its declared reachability endpoint behind NAT, else its Service (§4). */
    RemoteEndpoint endpointOf(ClusterSnapshot c) {
        if (tailnetExposed(c)) {
            // Pods have no route into the tailnet, so a host alias to the 100.x address leads nowhere. Dialers go
            // through
            // their own operator egress proxy, by its Service's DNS name: a CNAME to the proxy Pod, whose IP changes on
            // every
            // restart, so no host alias can hold it. The name is in the remote's server certificate (enable with
            // Tailscale).
            return new RemoteEndpoint.ViaAddress(
                    c.config().clusterName(),
                    TailscaleExposure.egressServiceDnsName(c.config().clusterName(), namespace),
                    CiliumNames.ETCD_PORT);
        }
        Optional<String> declared = c.cluster().reachabilityEndpoint();
        if (declared.isPresent() && !"direct".equals(c.cluster().reachabilityMode())) {
            return AccessInformation.fromExplicitEndpoints(c.config(), List.of(declared.get()))
                    .toRemoteEndpoint();
        }
        var service = c.service()
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CLUSTERMESH_NOT_ENABLED,
                        "cluster " + c.name() + " has no clustermesh-apiserver Service; re-run enable on it",
                        "clusters"));
        return dialledAt(
                AccessInformation.derive(c.config(), service, c.gateway().nodes()), resolver);
    }

    private static boolean tailnetExposed(ClusterSnapshot c) {
        return c.service().filter(TailscaleExposure::isExposed).isPresent();
    }

    /** The operator's egress Service in {@code local} for the tailnet address of {@code remote}'s apiserver (tailscale.md §11). */
    private void planEgress(
            List<Step> changes, List<Step> proxiesReady, ClusterSnapshot local, ClusterSnapshot remote) {
        Service exposed = remote.service().orElseThrow();
        Optional<String> fqdn = TailscaleExposure.tailnetFqdn(exposed);
        Optional<String> ip = TailscaleExposure.tailnetIp(exposed);
        String remoteName = remote.config().clusterName();
        if (fqdn.filter(TailscaleExposure::isMagicDnsName).isEmpty() && ip.isEmpty()) {
            String state = TailscaleExposure.proxyReady(exposed)
                    .map(c ->
                            c.getStatus() + " " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                    .orElse("not reported");
            throw new ProblemException(
                    ProblemType.ACCESS_INFORMATION_UNAVAILABLE,
                    "cluster " + remote.name()
                            + ": its clustermesh-apiserver has no tailnet address yet ("
                            + TailscaleExposure.PROXY_READY_CONDITION + " " + state
                            + "); wait until the Tailscale operator's proxy has logged in, then connect again",
                    "clusters");
        }
        Service desired = TailscaleExposure.egressService(
                namespace, local.config().clusterName(), remoteName, fqdn, ip, MeshLabels.ours());
        Optional<Service> current = local.gateway().service(namespace, TailscaleExposure.egressServiceName(remoteName));
        int before = changes.size();
        DesiredObjects.converge(
                changes,
                local.name(),
                desired,
                current,
                "Tailscale egress proxy to " + remoteName + " ("
                        + String.join(
                                ", ", desired.getMetadata().getAnnotations().values()) + ")");
        boolean proxyReady = current.flatMap(TailscaleExposure::proxyReady)
                .filter(c -> "True".equals(c.getStatus()))
                .isPresent();
        if (changes.size() > before || !proxyReady) {
            proxiesReady.add(TailscaleEgressWait.step(
                    local.name(), namespace, desired.getMetadata().getName(), readyTimeout));
        }
    }

    static RemoteEndpoint dialledAt(AccessInformation access, Function<String, List<String>> resolver) {
        if (access.ips().isEmpty()) {
            // A LoadBalancer with a hostname (EKS): dialled at its addresses behind the mesh host alias, as for an
            // IP, so the server certificate's *.mesh.cilium.io matches; enable puts the hostname in the certificate
            // too.
            List<String> addresses = access.hostnames().stream()
                    .flatMap(h -> resolver.apply(h).stream())
                    .distinct()
                    .toList();
            if (!addresses.isEmpty()) {
                return new RemoteEndpoint.ViaHostAliases(access.clusterName(), addresses, access.port());
            }
        }
        return access.toRemoteEndpoint();
    }

    private static RemoteEndpoint renamed(RemoteEndpoint endpoint, String clusterName) {
        return endpoint;
    }

    /** Shared CA: the local remote-cert is presented (common-* files). Different CAs: the remote's CA and client pair (§5.2 A). */
    private RemoteClientTls clientTls(ClusterSnapshot local, ClusterSnapshot remote) {
        Secret localRemoteCert = local.remoteCert().orElseThrow();
        Secret remoteRemoteCert = remote.remoteCert().orElseThrow();
        String localCa = ApiServerObjects.decode(localRemoteCert, CiliumNames.CA_CRT);
        String remoteCa = ApiServerObjects.decode(remoteRemoteCert, CiliumNames.CA_CRT);
        if (sameCa(localCa, remoteCa)) {
            return null;
        }
        return new RemoteClientTls(
                remoteCa,
                ApiServerObjects.decode(remoteRemoteCert, CiliumNames.TLS_CRT),
                ApiServerObjects.decode(remoteRemoteCert, CiliumNames.TLS_KEY));
    }

    static boolean sameCa(String caPemA, String caPemB) {
        if (caPemA == null || caPemB == null) {
            return false;
        }
        return CaBundle.subjectKeyIdHex(Pem.parseCertificate(caPemA))
                .equals(CaBundle.subjectKeyIdHex(Pem.parseCertificate(caPemB)));
    }

    private boolean serverCertCovers(ClusterSnapshot remote, String host) {
        try {
            var cert = Pem.parseCertificate(
                    ApiServerObjects.decode(remote.serverCert().orElseThrow(), CiliumNames.TLS_CRT));
            return cert.getSubjectAlternativeNames() != null
                    && cert.getSubjectAlternativeNames().stream()
                            .anyMatch(san -> host.equalsIgnoreCase(String.valueOf(san.get(1))));
        } catch (RuntimeException | java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    /**
     * Adds {@code entries} for {@code addRemotes} and removes the keys of {@code removeRemotes}, keeping every
     * other key. Keys are removed only for remotes this service wrote (listed in our annotation).
     */
    private void mergeSecret(
            List<Step> changes,
            ClusterSnapshot local,
            String secretName,
            Map<String, String> entries,
            List<String> addRemotes,
            List<String> removeRemotes,
            String summary) {
        Optional<Secret> current = local.gateway().secret(namespace, secretName);
        Map<String, String> data = new LinkedHashMap<>();
        TreeSet<String> written = new TreeSet<>();
        if (current.isPresent()) {
            if (current.get().getData() != null) {
                data.putAll(current.get().getData());
            }
            written.addAll(MeshLabels.remotesIn(current.get().getMetadata(), MeshLabels.WRITTEN_REMOTES));
        } else if (entries.isEmpty()) {
            return;
        }
        for (String remote : removeRemotes) {
            if (written.remove(remote)) {
                ClusterMeshSecretEntries.allKeysPossiblyOwnedBy(remote).forEach(data::remove);
            }
        }
        for (String remote : addRemotes) {
            // A changed CA layout leaves keys of the other layout behind: clear them first.
            if (written.contains(remote)) {
                ClusterMeshSecretEntries.allKeysPossiblyOwnedBy(remote).forEach(data::remove);
            }
            written.add(remote);
        }
        entries.forEach((k, v) -> data.put(k, ApiServerObjects.b64(v)));
        if (current.isPresent()
                && data.equals(
                        current.get().getData() == null
                                ? Map.of()
                                : current.get().getData())
                && written.equals(
                        new TreeSet<>(MeshLabels.remotesIn(current.get().getMetadata(), MeshLabels.WRITTEN_REMOTES)))) {
            return;
        }
        Secret desired;
        if (current.isPresent()) {
            desired = Serialization.clone(current.get());
            desired.setData(data);
            if (desired.getMetadata().getAnnotations() == null) {
                desired.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            desired.getMetadata().getAnnotations().put(MeshLabels.WRITTEN_REMOTES, MeshLabels.join(written));
        } else {
            desired = new SecretBuilder()
                    .withNewMetadata()
                    .withName(secretName)
                    .withNamespace(namespace)
                    .withLabels(MeshLabels.ours())
                    .addToAnnotations(MeshLabels.WRITTEN_REMOTES, MeshLabels.join(written))
                    .endMetadata()
                    .withType("Opaque")
                    .withData(data)
                    .build();
        }
        changes.add(new Step.Write(local.name(), desired, current.isPresent(), summary));
    }

    /** 1.19's apiserver creates an etcd user per connected remote from this ConfigMap (as the chart lists them). */
    private void updateRemoteUsers(List<Step> changes, ClusterSnapshot local, List<String> add, List<String> remove) {
        if (!ApiServerChart.of(local.release()).clusterUsers()) {
            return;
        }
        TreeSet<String> remotes = new TreeSet<>(local.gateway()
                .secret(namespace, CiliumNames.KVSTOREMESH_SECRET)
                .map(s -> MeshLabels.remotesIn(s.getMetadata(), MeshLabels.WRITTEN_REMOTES))
                .orElse(List.of()));
        remotes.addAll(add);
        remotes.removeAll(remove);
        DesiredObjects.converge(
                changes,
                local.name(),
                ApiServerObjects.remoteUsers(namespace, List.copyOf(remotes)),
                local.gateway().configMap(namespace, ApiServerObjects.REMOTE_USERS_CONFIG_MAP),
                "etcd users " + remotes);
    }

    private void updateHostAliases(
            List<Step> changes,
            ClusterSnapshot local,
            List<String> remotes,
            List<HostAlias> aliases,
            String... removed) {
        Deployment current =
                local.gateway().deployment(namespace, CiliumNames.APISERVER).orElse(null);
        if (current == null) {
            return;
        }
        List<String> cleared = new ArrayList<>(remotes);
        cleared.addAll(List.of(removed));
        List<HostAlias> existing = Optional.ofNullable(
                        current.getSpec().getTemplate().getSpec().getHostAliases())
                .orElse(List.of());
        List<HostAlias> next = new ArrayList<>(existing.stream()
                .filter(a -> cleared.stream().noneMatch(r -> ClusterMeshSecretEntries.isHostAliasFor(a, r)))
                .toList());
        next.addAll(aliases);
        TreeSet<String> aliased =
                new TreeSet<>(MeshLabels.remotesIn(current.getMetadata(), MeshLabels.ALIASED_REMOTES));
        aliased.removeAll(List.of(removed));
        aliases.forEach(a -> remotes.stream()
                .filter(r -> ClusterMeshSecretEntries.isHostAliasFor(a, r))
                .forEach(aliased::add));
        if (next.equals(existing)
                && aliased.equals(
                        new TreeSet<>(MeshLabels.remotesIn(current.getMetadata(), MeshLabels.ALIASED_REMOTES)))) {
            return;
        }
        Deployment desired = Serialization.clone(current);
        desired.getSpec().getTemplate().getSpec().setHostAliases(next);
        desired.getMetadata().getAnnotations().put(MeshLabels.ALIASED_REMOTES, MeshLabels.join(aliased));
        changes.add(new Step.Write(
                local.name(), desired, true, "host aliases for " + (aliases.isEmpty() ? List.of(removed) : remotes)));
    }
}
