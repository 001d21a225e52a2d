package io.clustermesh.controller.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.AgentStatus;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterIdentityRules;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.cilium.ClusterSnapshot;
import io.clustermesh.controller.cilium.HelmDryRun;
import io.clustermesh.controller.cilium.HelmMeshValues;
import io.clustermesh.controller.cilium.HelmRelease;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.cilium.MeshMember;
import io.clustermesh.controller.cilium.RemoteCluster;
import io.clustermesh.controller.cilium.RemoteEndpoint;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans enable, connect, disconnect and disable for a cluster whose Cilium a Helm release owns
 * (Helm mode, as cilium-cli 0.16+ does it): each is one {@link Step.HelmValues} per cluster, the
 * release's next values, followed by waits for what the upgrade rolls out. The clustermesh objects
 * are the chart's own, rendered by Helm; the only object written beside the release is our copy of
 * the mesh CA, where the other clusters (shared CA) and the CA rotation look for it.
 */
final class HelmModePlanner {
    /** {@code helm template} of the release's own chart with {@code values}: the manifest an upgrade would apply. */
    @FunctionalInterface
    interface Renderer {
        String render(ClusterSnapshot cluster, HelmRelease release, HelmRelease pristine, ObjectNode values);
    }

    private static final Pattern ENDPOINT = Pattern.compile("endpoints:\\s*\\n\\s*-\\s*(\\S+)");
    private static final Duration AGENT_STATUS_TIMEOUT = Duration.ofSeconds(10);

    private final String namespace;
    private final Clock clock;
    private final Duration readyTimeout;
    private final Renderer renderer;
    private final boolean dryRun;

    /** @param dryRun whether the plan is only shown: then each values change carries its diff */
    HelmModePlanner(String namespace, Clock clock, Duration readyTimeout, Renderer renderer, boolean dryRun) {
        this.namespace = namespace;
        this.clock = clock;
        this.readyTimeout = readyTimeout;
        this.renderer = renderer;
        this.dryRun = dryRun;
    }

    /**
     * @param sharedCa the mesh CA found in another cluster (shared mode), if any
     * @param extraDns, extraIps the cluster's declared endpoint host, for the server certificate (as in direct mode)
     */
    Plan enable(
            ClusterSnapshot cluster,
            HelmModeRelease helm,
            EnableRequest request,
            Optional<CertificateAuthority> sharedCa,
            List<String> extraDns,
            List<String> extraIps) {
        ClusterIdentityRules.validate(cluster.config());
        cluster.release();
        if (EnablePlanner.TAILSCALE.equals(request.serviceType())) {
            throw ProblemException.invalid(
                    "serviceType",
                    "serviceType Tailscale is not available while Helm release '"
                            + helm.latest().name() + "' owns Cilium in " + cluster.name()
                            + "; use NodePort, LoadBalancer or ClusterIP");
        }
        List<String> warnings = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        String name = cluster.name();
        ObjectNode current = helm.latest().config();
        Optional<CertificateAuthority> given = caInValues(current);
        CertificateAuthority ca = given.orElseGet(() -> meshCa(cluster, request, sharedCa, warnings));
        if (sharedCa.isPresent()
                && "shared".equals(request.ca())
                && !sharedCa.get().subjectKeyId().equals(ca.subjectKeyId())) {
            warnings.add(name + " keeps the CA its release already has (tls.ca.cert); it differs from the other"
                    + " clusters' mesh CA, and connect needs one CA for every cluster");
        }
        DesiredObjects.converge(
                steps,
                name,
                ApiServerObjects.caSecret(namespace, ca.certificatePem(), ca.privateKeyPem()),
                cluster.meshCa(),
                "mesh CA (" + ca.subjectKeyId().substring(0, 8) + "), kept where the other clusters look for it");
        ObjectNode values = HelmMeshValues.enable(
                current,
                new HelmMeshValues.Enable(
                        cluster.config().clusterName(),
                        cluster.config().clusterId(),
                        request.serviceType(),
                        request.nodePort(),
                        ca.certificatePem(),
                        ca.privateKeyPem(),
                        serverDnsNames(cluster, extraDns),
                        extraIps));
        List<RemoteEndpoint> carried = linksWrittenDirectly(cluster);
        if (!carried.isEmpty()) {
            values = HelmMeshValues.connect(values, carried);
        }
        List<Step> afterUpgrade = handOver(cluster, helm, values, steps);
        upgrade(
                steps,
                cluster,
                helm,
                values,
                "enable",
                "clustermesh-apiserver with KVStoreMesh, " + request.serviceType()
                        + (request.nodePort() == null ? "" : " :" + request.nodePort()) + ", TLS from the mesh CA");
        steps.addAll(afterUpgrade);
        if ("shared".equals(request.ca())) {
            steps.add(new Step.ReleaseLock(MeshService.SHARED_CA_LOCK, "the mesh CA is written: others may choose it"));
        }
        if (!apiServerReady(cluster) || steps.stream().anyMatch(step -> !(step instanceof Step.ReleaseLock))) {
            steps.add(new EnablePlanner(namespace, clock, readyTimeout).apiServerReady(name));
            if (!carried.isEmpty()) {
                steps.add(agentsRead(
                        name, carried.stream().map(RemoteEndpoint::name).toList(), true));
            }
        } else {
            steps.clear();
        }
        return new Plan("enable", name, steps, warnings);
    }

    /** One {@code clustermesh.config.clusters} entry per remote in each release, then waits for the agents to read them. */
    Plan connect(
            List<ClusterSnapshot> clusters, Map<String, HelmModeRelease> releases, List<MeshMember> alreadyLinked) {
        ConnectPlanner direct = new ConnectPlanner(namespace, readyTimeout);
        direct.validate(clusters, alreadyLinked);
        Map<String, RemoteEndpoint> endpoints = new LinkedHashMap<>();
        for (ClusterSnapshot c : clusters) {
            endpoints.put(c.name(), direct.endpointOf(c));
        }
        requireOneCa(clusters);
        List<Step> steps = new ArrayList<>();
        List<Step> waits = new ArrayList<>();
        for (ClusterSnapshot local : clusters) {
            List<ClusterSnapshot> remotes =
                    clusters.stream().filter(c -> c != local).toList();
            List<String> remoteNames =
                    remotes.stream().map(r -> r.config().clusterName()).toList();
            ObjectNode values = HelmMeshValues.connect(
                    releases.get(local.name()).latest().config(),
                    remotes.stream().map(r -> endpoints.get(r.name())).toList());
            boolean upgraded = upgrade(
                    steps,
                    local,
                    releases.get(local.name()),
                    values,
                    "connect",
                    "clustermesh.config.clusters entries for " + remoteNames);
            // A re-run after a crash between the upgrade and its waits finds the values converged:
            // it still waits while the snapshot shows the rollout unfinished (as enable does).
            if (upgraded || !apiServerReady(local)) {
                waits.add(new EnablePlanner(namespace, clock, readyTimeout).apiServerReady(local.name()));
                waits.add(agentsRead(local.name(), remoteNames, true));
            }
        }
        steps.addAll(waits);
        return new Plan(
                "connect",
                String.join(",", clusters.stream().map(ClusterSnapshot::name).toList()),
                steps,
                List.of());
    }

    /** Removes the entry of each side from the other's release values, then waits for the agents to drop it. */
    Plan disconnect(ClusterSnapshot a, ClusterSnapshot b, Map<String, HelmModeRelease> releases) {
        List<Step> steps = new ArrayList<>();
        List<Step> waits = new ArrayList<>();
        for (var pair : List.of(List.of(a, b), List.of(b, a))) {
            ClusterSnapshot local = pair.get(0);
            String remoteName = pair.get(1).config().clusterName();
            HelmModeRelease helm = releases.get(local.name());
            ObjectNode values = HelmMeshValues.disconnect(helm.latest().config(), Set.of(remoteName));
            boolean upgraded = upgrade(steps, local, helm, values, "disconnect", "remove the entry for " + remoteName);
            if (upgraded || !apiServerReady(local)) {
                waits.add(agentsRead(local.name(), List.of(remoteName), false));
            }
        }
        steps.addAll(waits);
        return new Plan("disconnect", a.name() + "," + b.name(), steps, List.of());
    }

    /**
     * Puts every clustermesh path back to what the release held before our first change, then removes
     * the objects of ours beside it (the mesh CA copy). Entries we added still listed refuse without force.
     */
    Plan disable(ClusterSnapshot cluster, HelmModeRelease helm, boolean force) {
        ObjectNode current = helm.latest().config();
        ObjectNode before = helm.pristineKnown() ? helm.pristine().config() : identityOnly(current);
        TreeSet<String> linked = new TreeSet<>(configuredRemotes(current));
        linked.removeAll(configuredRemotes(before));
        if (!linked.isEmpty() && !force) {
            throw new ProblemException(
                    ProblemType.LINKS_REMAIN,
                    "cluster " + cluster.name() + " is still linked to " + linked
                            + "; disconnect them first or pass ?force=true",
                    "force");
        }
        List<Step> steps = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!helm.pristineKnown()) {
            warnings.add("Helm no longer keeps the revision from before the first change of ours (history-max):"
                    + " every clustermesh value is removed, the cluster's name and id stay");
        }
        if (!linked.isEmpty()) {
            warnings.add("forced: links to " + linked
                    + " stop working; their entries in the other clusters stay until you disconnect them");
        }
        upgrade(
                steps,
                cluster,
                helm,
                HelmMeshValues.disable(current, before),
                "disable",
                "the clustermesh values back to revision " + helm.pristine().revision() + "'s");
        steps.addAll(new DisablePlanner().plan(cluster, true).steps());
        return new Plan("disable", cluster.name(), steps, warnings);
    }

    private static boolean apiServerReady(ClusterSnapshot cluster) {
        return cluster.apiserver().map(ApiServerReadiness::isReady).orElse(false);
    }

    /** Adds the upgrade unless the release already holds exactly these values (a re-run after success). */
    private boolean upgrade(
            List<Step> steps,
            ClusterSnapshot cluster,
            HelmModeRelease helm,
            ObjectNode values,
            String operation,
            String summary) {
        HelmRelease latest = helm.latest();
        if (values.equals(latest.config()) && "deployed".equals(latest.status())) {
            return false;
        }
        steps.add(new Step.HelmValues(
                cluster.name(),
                latest,
                helm.pristine(),
                values,
                operation,
                summary,
                dryRun
                        ? HelmDryRun.of(
                                latest.config(),
                                values,
                                latest.manifest(),
                                renderer.render(cluster, latest, helm.pristine(), values))
                        : null));
        return true;
    }

    /**
     * Hand-over from direct mode (issue 16 item 4): the objects an earlier direct enable and connect
     * wrote get Helm's ownership marks before the upgrade, so Helm adopts them in place (it refuses to
     * take over an object without them) instead of the cluster losing its clustermesh-apiserver in
     * between; the ones the chart does not render go after the upgrade. Our mesh CA copy stays ours.
     * Returns the steps to run after the upgrade.
     */
    private List<Step> handOver(ClusterSnapshot cluster, HelmModeRelease helm, ObjectNode values, List<Step> steps) {
        List<HasMetadata> ours = DisablePlanner.ours(cluster).stream()
                .filter(o ->
                        !ApiServerObjects.MESH_CA_SECRET.equals(o.getMetadata().getName()))
                .toList();
        if (ours.isEmpty()) {
            return List.of();
        }
        Set<String> rendered = HelmDryRun.objects(renderer.render(cluster, helm.latest(), helm.pristine(), values))
                .keySet();
        List<Step> after = new ArrayList<>();
        for (HasMetadata current : ours) {
            String objectNamespace = current.getMetadata().getNamespace();
            String key = current.getKind() + " " + (objectNamespace == null ? "" : objectNamespace + "/")
                    + current.getMetadata().getName();
            if (!rendered.contains(key)) {
                after.add(Step.Delete.of(
                        cluster.name(), current, "written by direct mode; the chart has no such object"));
                continue;
            }
            var adopted = io.fabric8.kubernetes.client.utils.Serialization.clone(current);
            adopted.getMetadata().getLabels().put(MeshLabels.MANAGED_BY_KEY, CiliumNames.HELM_MANAGED_BY_VALUE);
            if (adopted.getMetadata().getAnnotations() == null) {
                adopted.getMetadata().setAnnotations(new LinkedHashMap<>());
            }
            adopted.getMetadata()
                    .getAnnotations()
                    .put(CiliumNames.HELM_RELEASE_ANNOTATION, helm.latest().name());
            adopted.getMetadata()
                    .getAnnotations()
                    .put(
                            CiliumNames.HELM_RELEASE_NAMESPACE_ANNOTATION,
                            helm.latest().namespace());
            steps.add(new Step.Write(
                    cluster.name(),
                    adopted,
                    true,
                    "hand over to Helm release " + helm.latest().name()));
        }
        return after;
    }

    /**
     * The links an earlier direct-mode connect wrote into {@code cilium-kvstoremesh}, as
     * {@code clustermesh.config.clusters} entries: the chart then renders the same entries and host
     * aliases, and the links stay up while Helm takes the objects over.
     */
    private List<RemoteEndpoint> linksWrittenDirectly(ClusterSnapshot cluster) {
        var secret = cluster.secret(CiliumNames.KVSTOREMESH_SECRET).filter(s -> MeshLabels.isOurs(s.getMetadata()));
        if (secret.isEmpty()) {
            return List.of();
        }
        Map<String, String> entries = ApiServerObjects.decodeAll(secret.get());
        List<RemoteEndpoint> links = new ArrayList<>();
        for (String remote : MeshLabels.remotesIn(secret.get().getMetadata(), MeshLabels.WRITTEN_REMOTES)) {
            String entry = entries.get(remote);
            Matcher endpoint = entry == null ? null : ENDPOINT.matcher(entry);
            if (endpoint == null || !endpoint.find()) {
                continue;
            }
            if (ClusterMeshSecretEntries.hasOwnCaEntries(entries, remote)) {
                throw new ProblemException(
                        ProblemType.INCOMPATIBLE_CLUSTERS,
                        "cluster " + cluster.name() + " reaches " + remote + " with a per-cluster CA; Helm mode gives"
                                + " every release one CA: rotate both clusters to one mesh CA, then enable again",
                        "cluster");
            }
            URI url = URI.create(endpoint.group(1));
            List<String> ips = cluster
                    .apiserver()
                    .map(d -> d.getSpec().getTemplate().getSpec().getHostAliases())
                    .orElse(List.of())
                    .stream()
                    .filter(a -> a.getHostnames() != null && a.getHostnames().contains(url.getHost()))
                    .map(io.fabric8.kubernetes.api.model.HostAlias::getIp)
                    .toList();
            links.add(
                    ips.isEmpty()
                            ? new RemoteEndpoint.ViaAddress(remote, url.getHost(), url.getPort())
                            : new RemoteEndpoint.ViaHostAliases(remote, ips, url.getPort()));
        }
        return links;
    }

    /**
     * Waits until every agent's {@code cilium-dbg status} lists (or no longer lists) {@code remotes}:
     * the agents read {@code cilium-clustermesh} from their mounted Secret, which kubelet refreshes
     * on its own schedule, so the upgrade having written it is not yet the agents having read it.
     */
    private Step.Await agentsRead(String cluster, List<String> remotes, boolean listed) {
        return Step.Await.until(
                cluster,
                "wait for the agents to " + (listed ? "read the entries for " : "drop the entries for ") + remotes,
                gateways -> agentsList(gateways.apply(cluster), remotes, listed),
                readyTimeout,
                ProblemType.CLUSTER_UNREACHABLE,
                "check that the cilium agents run and mount " + CiliumNames.CLUSTERMESH_SECRET + "; re-running resumes",
                "every agent's cilium-dbg status " + (listed ? "lists " : "no longer lists ") + remotes);
    }

    private Step.Check agentsList(ClusterGateway gateway, List<String> remotes, boolean listed) {
        List<Pod> agents =
                gateway
                        .pods(namespace, Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE))
                        .stream()
                        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .filter(AgentCoverage::isReady)
                        .toList();
        if (agents.isEmpty()) {
            return new Step.Check.Waiting("no ready cilium agent");
        }
        for (Pod agent : agents) {
            String output = gateway.exec(
                    namespace,
                    agent.getMetadata().getName(),
                    CiliumNames.AGENT_CONTAINER,
                    AGENT_STATUS_TIMEOUT,
                    AgentCommands.STATUS.toArray(String[]::new));
            Set<String> seen = new TreeSet<>(AgentStatus.parse(output).remotes().stream()
                    .map(RemoteCluster::name)
                    .toList());
            boolean done = listed ? seen.containsAll(remotes) : remotes.stream().noneMatch(seen::contains);
            if (!done) {
                return new Step.Check.Waiting(
                        "agent " + agent.getMetadata().getName() + " lists " + (seen.isEmpty() ? "no remote" : seen));
            }
        }
        return new Step.Check.Met(agents.size() + " agents " + (listed ? "list " : "no longer list ") + remotes);
    }

    /** Helm mode gives every release one CA (tls.ca): different CAs would need client keys in the values. */
    private void requireOneCa(List<ClusterSnapshot> clusters) {
        ClusterSnapshot first = clusters.get(0);
        String ca = ApiServerObjects.decode(first.remoteCert().orElseThrow(), CiliumNames.CA_CRT);
        for (ClusterSnapshot other : clusters.subList(1, clusters.size())) {
            if (!ConnectPlanner.sameCa(
                    ca, ApiServerObjects.decode(other.remoteCert().orElseThrow(), CiliumNames.CA_CRT))) {
                throw new ProblemException(
                        ProblemType.INCOMPATIBLE_CLUSTERS,
                        "clusters " + first.name() + " and " + other.name() + " have different mesh CAs; in Helm mode"
                                + " every release must be given one CA: enable them with ca=shared (or give each"
                                + " chart the same tls.ca.cert and tls.ca.key), then connect",
                        "clusters");
            }
        }
    }

    /** Remotes may dial the LoadBalancer's hostname (EKS), so the chart's certificate must carry it too. */
    private static List<String> serverDnsNames(ClusterSnapshot cluster, List<String> extraDns) {
        List<String> names = new ArrayList<>(extraDns);
        ClusterSnapshot.loadBalancerHostnames(cluster.service().orElse(null)).stream()
                .filter(h -> !names.contains(h))
                .forEach(names::add);
        return names;
    }

    /** The CA the release's values already give the chart (ours from an earlier enable, or the user's own). */
    private Optional<CertificateAuthority> caInValues(ObjectNode values) {
        JsonNode ca = values.path("tls").path("ca");
        if (!ca.path("cert").isTextual() || !ca.path("key").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(CertificateAuthority.load(
                unbase64(ca.path("cert").asText()), unbase64(ca.path("key").asText()), clock));
    }

    /** Ours from an earlier (direct or Helm) enable first, then the other clusters' (shared), else a new one. */
    private CertificateAuthority meshCa(
            ClusterSnapshot cluster,
            EnableRequest request,
            Optional<CertificateAuthority> sharedCa,
            List<String> warnings) {
        if (cluster.meshCa().isPresent()) {
            return CertificateAuthority.load(
                    ApiServerObjects.decode(cluster.meshCa().get(), CiliumNames.CA_CRT),
                    ApiServerObjects.decode(cluster.meshCa().get(), CiliumNames.CA_KEY),
                    clock);
        }
        warnings.add("the release's own cilium-ca (generated by the chart) is replaced by the mesh CA; the chart"
                + " issues Hubble's certificates from it again in the same upgrade");
        if ("shared".equals(request.ca()) && sharedCa.isPresent()) {
            return sharedCa.get();
        }
        return ClusterMeshCertificates.generateCa(clock);
    }

    private static List<String> configuredRemotes(JsonNode values) {
        List<String> names = new ArrayList<>();
        values.path("clustermesh")
                .path("config")
                .path("clusters")
                .forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    /** The values a release had before our change when Helm no longer keeps them: the cluster's identity only. */
    private static ObjectNode identityOnly(ObjectNode current) {
        ObjectNode before = current.objectNode();
        JsonNode cluster = current.path("cluster");
        if (cluster.isObject()) {
            before.set("cluster", cluster.deepCopy());
        }
        return before;
    }

    private static String unbase64(String text) {
        return new String(Base64.getDecoder().decode(text.trim()), StandardCharsets.UTF_8);
    }
}
