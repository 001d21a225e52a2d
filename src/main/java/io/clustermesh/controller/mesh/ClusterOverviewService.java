package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.AccessInformation;
import io.clustermesh.controller.cilium.ApiServerImage;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumOwner;
import io.clustermesh.controller.cilium.ClusterSnapshot;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.reachability.EndpointChecks;
import io.clustermesh.controller.reachability.EndpointFinding;
import io.clustermesh.controller.reachability.ReachabilityMode;
import io.clustermesh.controller.reachability.ReachabilityService;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what every cluster runs (Cilium version, identity, ClusterMesh state) in parallel. */
@ApplicationScoped
public class ClusterOverviewService {

    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final String namespace;
    private final Clock clock;
    private final ReachabilityService reachability;

    /** Without reachability findings: the one-shot check builds this by hand, outside CDI. */
    public ClusterOverviewService(ClusterRegistry registry, FanOut fanOut, MeshConfig config, Clock clock) {
        this(registry, fanOut, config, clock, null);
    }

    @Inject
    public ClusterOverviewService(
            ClusterRegistry registry, FanOut fanOut, MeshConfig config, Clock clock, ReachabilityService reachability) {
        this.registry = registry;
        this.clock = clock;
        this.fanOut = fanOut;
        this.namespace = config.namespace();
        this.reachability = reachability;
    }

    /**
     * One cluster's view with the objects it was read from, for health, which judges the
     * clustermesh-apiserver Deployment and all four TLS Secrets without reading them again.
     * Unreachable clusters have neither.
     */
    public record Inspection(ClusterView view, Optional<Deployment> apiserver, MeshCertificate.Decoded certificates) {}

    /** The ClusterMesh TLS Secrets Cilium's chart defines (contract §3.2). */
    public static final List<String> TLS_SECRETS = CiliumNames.TLS_SECRETS;

    /** The certificates the cluster view lists (secret, key): the server's trust and leaf, and the remote client's. */
    private static final List<String[]> SHOWN_CERTIFICATES = List.of(
            new String[] {CiliumNames.SERVER_CERT_SECRET, CiliumNames.CA_CRT},
            new String[] {CiliumNames.SERVER_CERT_SECRET, CiliumNames.TLS_CRT},
            new String[] {CiliumNames.REMOTE_CERT_SECRET, CiliumNames.TLS_CRT});

    public List<ClusterView> all() {
        return inspectAll().stream().map(Inspection::view).toList();
    }

    public List<Inspection> inspectAll() {
        var answers = fanOut.ask(registry.clusters(), this::inspect);
        List<Inspection> inspections = new ArrayList<>();
        answers.forEach((cluster, answer) -> inspections.add(
                answer.ok()
                        ? answer.value()
                        : new Inspection(
                                unreachable(cluster, answer.error()),
                                Optional.empty(),
                                new MeshCertificate.Decoded(List.of(), List.of()))));
        List<ClusterView> views =
                withFindings(inspections.stream().map(Inspection::view).toList());
        List<Inspection> withFindings = new ArrayList<>();
        for (int i = 0; i < inspections.size(); i++) {
            withFindings.add(new Inspection(
                    views.get(i),
                    inspections.get(i).apiserver(),
                    inspections.get(i).certificates()));
        }
        return withFindings;
    }

    public ClusterView one(String name) {
        ManagedCluster cluster = registry.require(name);
        var answer = fanOut.ask(List.of(cluster), this::inspect).get(cluster);
        // Alone: a NodePort shared with another cluster shows in the list, which reads them all.
        return withFindings(List.of(answer.ok() ? answer.value().view() : unreachable(cluster, answer.error())))
                .get(0);
    }

    private List<ClusterView> withFindings(List<ClusterView> views) {
        List<EndpointChecks.Declared> declared = new ArrayList<>();
        for (ClusterView view : views) {
            ReachabilityMode mode;
            try {
                mode = ReachabilityMode.parse(view.reachability().mode(), "mode");
            } catch (ProblemException e) {
                mode = ReachabilityMode.DIRECT;
            }
            declared.add(new EndpointChecks.Declared(
                    view.name(),
                    mode,
                    view.reachability().endpoint(),
                    view.reachability().nodePort(),
                    null));
        }
        Map<String, List<EndpointFinding>> findings = reachability == null ? Map.of() : reachability.findings(declared);
        return views.stream()
                .map(v -> v.withReachability(new ClusterView.Reachability(
                        v.reachability().mode(),
                        v.reachability().endpoint(),
                        v.reachability().nodePort(),
                        findings.getOrDefault(v.name(), List.of()))))
                .toList();
    }

    private Inspection inspect(ManagedCluster cluster) {
        var gateway = cluster.watched();
        List<String> errors = new ArrayList<>();
        Map<String, String> ciliumConfig = gateway.configMap(namespace, CiliumNames.CONFIG_MAP)
                .map(cm -> cm.getData() == null ? Map.<String, String>of() : cm.getData())
                .orElse(null);
        if (ciliumConfig == null) {
            errors.add("ConfigMap " + namespace + "/" + CiliumNames.CONFIG_MAP + " not found: is Cilium installed?");
        }
        String version = gateway.daemonSet(namespace, CiliumNames.AGENT_DAEMONSET)
                .flatMap(ClusterSnapshot::agentImage)
                .map(ApiServerImage::versionOf)
                .orElse(null);
        Service service = gateway.service(namespace, CiliumNames.APISERVER).orElse(null);
        Optional<Deployment> deployment = gateway.deployment(namespace, CiliumNames.APISERVER);
        Map<String, Secret> tls = new LinkedHashMap<>();
        TLS_SECRETS.forEach(name -> gateway.secret(namespace, name).ifPresent(secret -> tls.put(name, secret)));
        // Decoded once here: health judges the same certificates the view shows.
        var certificates = MeshCertificate.decode(cluster.name(), List.copyOf(tls.values()), clock);
        var mesh = deployment
                .map(apiServer -> meshState(cluster, ciliumConfig, apiServer, service, certificates))
                .orElse(new ClusterView.MeshState(false, null, List.of(), null, null, null, null));
        var view = new ClusterView(
                        cluster.name(),
                        cluster.contextName(),
                        cluster.server(),
                        cluster.simulated(),
                        true,
                        version,
                        ciliumConfig == null ? null : ciliumConfig.get(CiliumNames.KEY_CLUSTER_NAME),
                        ciliumConfig == null ? null : parseIntOrNull(ciliumConfig.get(CiliumNames.KEY_CLUSTER_ID)),
                        ciliumConfig == null
                                ? null
                                : parseIntOrNull(
                                        ciliumConfig.getOrDefault(CiliumNames.KEY_MAX_CONNECTED_CLUSTERS, "255")),
                        mesh,
                        reachabilityOf(cluster, service),
                        errors)
                .withOwner(CiliumOwner.fromMarkers(
                        gateway.daemonSet(namespace, CiliumNames.AGENT_DAEMONSET)
                                .map(ds -> ds.getMetadata())
                                .orElse(null),
                        gateway.configMap(namespace, CiliumNames.CONFIG_MAP)
                                .map(cm -> cm.getMetadata())
                                .orElse(null)));
        return new Inspection(view, deployment, certificates);
    }

    private ClusterView.MeshState meshState(
            ManagedCluster cluster,
            Map<String, String> ciliumConfig,
            Deployment apiServer,
            Service service,
            MeshCertificate.Decoded decoded) {
        List<String> endpoints = List.of();
        String endpointError = null;
        try {
            endpoints = endpointsOf(cluster, ciliumConfig == null ? Map.of() : ciliumConfig, service);
        } catch (ProblemException e) {
            endpointError = e.getMessage();
        }
        List<ClusterView.CertificateExpiry> certificates = new ArrayList<>();
        for (String[] shown : SHOWN_CERTIFICATES) {
            decoded.certificates().stream()
                    .filter(c -> c.secret().equals(shown[0]) && c.key().equals(shown[1]))
                    .forEach(c -> certificates.add(new ClusterView.CertificateExpiry(
                            c.secret(),
                            c.key(),
                            c.info().commonName(),
                            c.info().notAfter(),
                            c.info().daysLeft())));
            if (decoded.unreadable().contains(shown[0] + "/" + shown[1])) {
                // An unreadable certificate is reported as such rather than failing the whole cluster view.
                certificates.add(
                        new ClusterView.CertificateExpiry(shown[0], shown[1], "unreadable certificate", null, 0));
            }
        }
        return new ClusterView.MeshState(
                true,
                service == null ? null : service.getSpec().getType(),
                endpoints,
                ApiServerReadiness.isReady(apiServer),
                ApiServerReadiness.describe(apiServer),
                certificates,
                endpointError);
    }

    /** What the other clusters dial: the declared reachability endpoint, else what cilium-cli would derive (contract §4). */
    private List<String> endpointsOf(ManagedCluster cluster, Map<String, String> ciliumConfig, Service service) {
        Optional<String> declared = cluster.reachabilityEndpoint();
        if (declared.isPresent()) {
            return List.of(declared.get());
        }
        boolean nodePort =
                service != null && "NodePort".equals(service.getSpec().getType());
        var access = AccessInformation.derive(
                CiliumConfig.fromData(ciliumConfig),
                service,
                nodePort ? cluster.watched().nodes() : List.of());
        return access.addresses().stream()
                .map(address -> hostPort(address, access.port()))
                .toList();
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private ClusterView unreachable(ManagedCluster cluster, String error) {
        return new ClusterView(
                cluster.name(),
                cluster.contextName(),
                cluster.server(),
                cluster.simulated(),
                false,
                null,
                null,
                null,
                null,
                null,
                reachabilityOf(cluster, null),
                List.of(error));
    }

    private static ClusterView.Reachability reachabilityOf(ManagedCluster cluster, Service service) {
        Integer nodePort = service != null
                        && "NodePort".equals(service.getSpec().getType())
                        && !service.getSpec().getPorts().isEmpty()
                ? service.getSpec().getPorts().get(0).getNodePort()
                : null;
        return new ClusterView.Reachability(
                cluster.reachabilityMode(), cluster.reachabilityEndpoint().orElse(null), nodePort, List.of());
    }

    /** {@code quay.io/cilium/cilium:v1.18.2@sha256:…} → {@code 1.18.2}. */
    public static String versionOfImage(String image) {
        return ApiServerImage.versionOf(image);
    }

    private static Integer parseIntOrNull(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
