package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.ApiServerChart;
import io.clustermesh.controller.cilium.ApiServerDeployments;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.ApiServerValues;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterIdentityRules;
import io.clustermesh.controller.cilium.ClusterMeshValues;
import io.clustermesh.controller.cilium.ClusterSnapshot;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.CertificateProfile;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.pki.Pem;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.tailscale.TailscaleExposure;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Plans "enable": the mesh CA, the clustermesh-apiserver certificates, RBAC, Deployment and Service. */
final class EnablePlanner {
    /** Certificates with less than this left are re-issued by enable. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Exposed on the tailnet by the Tailscale operator (a LoadBalancer of class {@code tailscale}). */
    static final String TAILSCALE = "Tailscale";

    private static final Set<String> SERVICE_TYPES = Set.of("NodePort", "LoadBalancer", "ClusterIP", TAILSCALE);

    private final String namespace;
    private final Clock clock;
    private final Duration readyTimeout;

    /** @param readyTimeout how long the run waits for the clustermesh-apiserver it wrote to be ready */
    EnablePlanner(String namespace, Clock clock, Duration readyTimeout) {
        this.namespace = namespace;
        this.clock = clock;
        this.readyTimeout = readyTimeout;
    }

    static EnableRequest validate(EnableRequest request) {
        EnableRequest r = request == null ? EnableRequest.DEFAULTS : request;
        String type = r.serviceType() == null ? "NodePort" : r.serviceType();
        if (!SERVICE_TYPES.contains(type)) {
            throw ProblemException.invalid(
                    "serviceType", "serviceType must be NodePort, LoadBalancer, ClusterIP or Tailscale");
        }
        Integer nodePort = r.nodePort();
        if (nodePort != null && !"NodePort".equals(type)) {
            throw ProblemException.invalid("nodePort", "nodePort only applies to serviceType NodePort");
        }
        if ("NodePort".equals(type) && nodePort == null) {
            nodePort = CiliumNames.DEFAULT_NODE_PORT;
        }
        if (nodePort != null && (nodePort < 30000 || nodePort > 32767)) {
            throw ProblemException.invalid("nodePort", "nodePort must be in the NodePort range 30000-32767");
        }
        String ca = r.ca() == null ? "shared" : r.ca();
        if (!ca.equals("shared") && !ca.equals("own")) {
            throw ProblemException.invalid("ca", "ca must be 'shared' or 'own'");
        }
        return new EnableRequest(type, nodePort, ca);
    }

    /**
     * @param sharedCa the mesh CA found in another enabled cluster (shared mode), if any
     */
    Plan plan(
            ClusterSnapshot cluster,
            EnableRequest request,
            Optional<CertificateAuthority> sharedCa,
            List<String> extraDns,
            List<String> extraIps) {
        ClusterIdentityRules.validate(cluster.config());
        cluster.refuseIfGitOps("enable ClusterMesh", gitOpsValues(cluster, request, extraDns, extraIps));
        ApiServerChart chart = ApiServerChart.of(cluster.release());
        List<String> warnings = new ArrayList<>();
        if (cluster.ciliumHelm().managed()) {
            warnings.add(
                    "Cilium in " + cluster.name() + " is managed by Helm release '"
                            + cluster.ciliumHelm().releaseName()
                            + "': keep clustermesh.useAPIServer=false and clustermesh.config.enabled=false in its values, or a later helm upgrade will conflict with the objects written here");
        }
        String name = cluster.name();
        List<Step> changes = new ArrayList<>();

        CertificateAuthority ca = meshCa(cluster, request, sharedCa, warnings);
        DesiredObjects.converge(
                changes,
                name,
                ApiServerObjects.caSecret(namespace, ca.certificatePem(), ca.privateKeyPem()),
                cluster.meshCa(),
                "mesh CA (" + ca.subjectKeyId().substring(0, 8) + ")");
        String clusterName = cluster.config().clusterName();
        List<String> serverNames = new ArrayList<>(extraDns);
        loadBalancerHostnames(cluster).stream()
                .filter(h -> !serverNames.contains(h))
                .forEach(serverNames::add);
        if (TAILSCALE.equals(request.serviceType())) {
            tailnetServerNames(clusterName).stream()
                    .filter(h -> !serverNames.contains(h))
                    .forEach(serverNames::add);
        }
        issueOrKeep(
                changes,
                cluster,
                ca,
                CiliumNames.SERVER_CERT_SECRET,
                ClusterMeshCertificates.server(namespace, serverNames, extraIps),
                "server certificate");
        issueOrKeep(
                changes,
                cluster,
                ca,
                CiliumNames.ADMIN_CERT_SECRET,
                ClusterMeshCertificates.admin(clusterName),
                "admin client certificate");
        issueOrKeep(
                changes,
                cluster,
                ca,
                CiliumNames.REMOTE_CERT_SECRET,
                ClusterMeshCertificates.remote(),
                "remote client certificate");
        issueOrKeep(
                changes,
                cluster,
                ca,
                CiliumNames.LOCAL_CERT_SECRET,
                ClusterMeshCertificates.local(clusterName),
                "local client certificate");

        DesiredObjects.converge(
                changes, name, ApiServerObjects.serviceAccount(namespace), cluster.serviceAccount(), "service account");
        DesiredObjects.converge(
                changes,
                name,
                ApiServerObjects.clusterRole(chart),
                cluster.clusterRole(),
                "read access to Cilium state");
        DesiredObjects.converge(
                changes,
                name,
                ApiServerObjects.clusterRoleBinding(namespace),
                cluster.clusterRoleBinding(),
                "bind it to the service account");
        Service service = apiServerService(chart, request, clusterName);
        Optional<Service> currentService = cluster.service();
        if (currentService.isPresent() && loadBalancerClassChanges(currentService.get(), service)) {
            // spec.loadBalancerClass is immutable while the type stays LoadBalancer: the API server refuses the update.
            DesiredObjects.refuseForeign(name, currentService.get());
            changes.add(Step.Delete.of(name, currentService.get(), "re-create: its load-balancer class changes"));
            currentService = Optional.empty();
        }
        DesiredObjects.converge(
                changes,
                name,
                service,
                currentService,
                request.serviceType() + (request.nodePort() == null ? "" : " :" + request.nodePort()));
        DesiredObjects.converge(
                changes,
                name,
                ApiServerObjects.metricsService(namespace, true),
                cluster.service(CiliumNames.APISERVER_METRICS_SERVICE),
                "metrics endpoints");
        List<HostAlias> aliases =
                cluster.apiserver().map(ApiServerDeployments::hostAliases).orElse(List.of());
        List<String> aliased = cluster.apiserver()
                .map(d -> MeshLabels.remotesIn(d.getMetadata(), MeshLabels.ALIASED_REMOTES))
                .orElse(List.of());
        int maxConnected = cluster.config().maxConnectedClusters() == null
                ? CiliumNames.DEFAULT_MAX_CONNECTED_CLUSTERS
                : cluster.config().maxConnectedClusters();
        if (chart.clusterUsers()) {
            DesiredObjects.converge(
                    changes,
                    name,
                    ApiServerObjects.remoteUsers(namespace, cluster.linkedRemotes()),
                    cluster.remoteUsers(),
                    "etcd users of connected clusters");
        }
        if (!chart.kvstoremeshByDefault()) {
            warnings.add(
                    "Cilium " + chart.release() + " in " + name
                            + " runs KVStoreMesh only when asked (its chart's default is off); "
                            + "the clustermesh-apiserver written here runs it, so the agents read remote state from the local cache and are never restarted");
        }
        ApiServerValues values = new ApiServerValues(
                namespace, chart.release(), cluster.apiserverImage(), maxConnected, true, aliases, aliased);
        DesiredObjects.converge(
                changes,
                name,
                ApiServerObjects.deployment(values),
                cluster.apiserver(),
                "clustermesh-apiserver " + values.image() + " with KVStoreMesh");
        if ("shared".equals(request.ca())) {
            // Parallel enables queue for the shared CA while choosing it; once written, the next may look.
            changes.add(
                    new Step.ReleaseLock(MeshService.SHARED_CA_LOCK, "the mesh CA is written: others may choose it"));
        }
        boolean ready = cluster.apiserver().map(ApiServerReadiness::isReady).orElse(false);
        if (!ready || changes.stream().anyMatch(step -> !(step instanceof Step.ReleaseLock))) {
            changes.add(apiServerReady(name));
        } else {
            // Nothing to write and the apiserver runs: the cluster already is what enable makes it.
            changes.clear();
        }
        return new Plan("enable", name, changes, warnings);
    }

    Step.Await apiServerReady(String cluster) {
        return Step.Await.until(
                cluster,
                "wait for clustermesh-apiserver ready",
                gateways -> gateways.apply(cluster)
                        .deployment(namespace, CiliumNames.APISERVER)
                        .map(d -> ApiServerReadiness.isReady(d)
                                ? (Step.Check) new Step.Check.Met("ready")
                                : new Step.Check.Waiting(ApiServerReadiness.describe(d)))
                        .orElse(new Step.Check.Waiting("deployment missing")),
                readyTimeout,
                ProblemType.CLUSTER_UNREACHABLE,
                "check its pod events (image pull, scheduling); re-running enable resumes",
                "the Deployment's rollout is complete");
    }

    /** The chart values of this enable for a GitOps repository. */
    /** The values a GitOps-managed cluster should commit; they name the addresses remotes dial, as enable's certificate does. */
    private String gitOpsValues(
            ClusterSnapshot cluster, EnableRequest request, List<String> extraDns, List<String> extraIps) {
        String name = cluster.config().clusterName();
        Integer id = cluster.config().clusterId();
        if (!TAILSCALE.equals(request.serviceType())) {
            List<String> dnsNames = new ArrayList<>(extraDns);
            loadBalancerHostnames(cluster).stream()
                    .filter(h -> !dnsNames.contains(h))
                    .forEach(dnsNames::add);
            return ClusterMeshValues.enable(
                    name, id, request.serviceType(), request.nodePort(), null, java.util.Map.of(), dnsNames, extraIps);
        }
        return tailscaleValues(name, id, ApiServerChart.of(cluster.release()));
    }

    static String tailscaleValues(String name, Integer id, ApiServerChart chart) {
        if (chart.serviceLoadBalancerClass()) {
            return ClusterMeshValues.enable(
                    name,
                    id,
                    "LoadBalancer",
                    null,
                    TailscaleExposure.LOAD_BALANCER_CLASS,
                    java.util.Map.of(TailscaleExposure.HOSTNAME_ANNOTATION, TailscaleExposure.ingressHostname(name)));
        }
        // Cilium 1.15's chart has no loadBalancerClass value: the operator's annotation form on a ClusterIP Service.
        return ClusterMeshValues.enable(
                name,
                id,
                "ClusterIP",
                null,
                null,
                new java.util.TreeMap<>(java.util.Map.of(
                        TailscaleExposure.EXPOSE_ANNOTATION,
                        "true",
                        TailscaleExposure.HOSTNAME_ANNOTATION,
                        TailscaleExposure.ingressHostname(name))));
    }

    private Service apiServerService(ApiServerChart chart, EnableRequest request, String clusterName) {
        if (!TAILSCALE.equals(request.serviceType())) {
            return ApiServerObjects.service(namespace, chart, request.serviceType(), request.nodePort());
        }
        return TailscaleExposure.exposedAsLoadBalancer(
                ApiServerObjects.service(namespace, chart, "LoadBalancer", null),
                TailscaleExposure.ingressHostname(clusterName));
    }

    private static boolean loadBalancerClassChanges(Service current, Service desired) {
        return "LoadBalancer".equals(current.getSpec().getType())
                && "LoadBalancer".equals(desired.getSpec().getType())
                && !java.util.Objects.equals(
                        current.getSpec().getLoadBalancerClass(),
                        desired.getSpec().getLoadBalancerClass());
    }

    /**
     * Names a Tailscale-exposed apiserver is dialled at: the egress Service every dialing cluster
     * creates for it (connect points kvstoremesh there, and TLS checks this name), and its short
     * tailnet host name. The MagicDNS FQDN joins from the Service status once the proxy is up.
     */
    private List<String> tailnetServerNames(String clusterName) {
        return List.of(
                TailscaleExposure.egressServiceDnsName(clusterName, namespace),
                TailscaleExposure.ingressHostname(clusterName));
    }

    /** A LoadBalancer that publishes a hostname (EKS) may be dialled by that name: the server certificate names it. */
    private static List<String> loadBalancerHostnames(ClusterSnapshot cluster) {
        return ClusterSnapshot.loadBalancerHostnames(cluster.service().orElse(null));
    }

    private CertificateAuthority meshCa(
            ClusterSnapshot cluster,
            EnableRequest request,
            Optional<CertificateAuthority> sharedCa,
            List<String> warnings) {
        Optional<Secret> own = cluster.meshCa();
        if (own.isPresent()) {
            CertificateAuthority existing = CertificateAuthority.load(
                    ApiServerObjects.decode(own.get(), CiliumNames.CA_CRT),
                    ApiServerObjects.decode(own.get(), CiliumNames.CA_KEY),
                    clock);
            if (sharedCa.isPresent()
                    && !sharedCa.get().subjectKeyId().equals(existing.subjectKeyId())
                    && "shared".equals(request.ca())) {
                warnings.add(
                        cluster.name()
                                + " keeps its own mesh CA (it differs from the other clusters'); links to it carry per-cluster CA files. Rotate its CA to share one.");
            }
            return existing;
        }
        if ("shared".equals(request.ca()) && sharedCa.isPresent()) {
            return sharedCa.get();
        }
        return ClusterMeshCertificates.generateCa(clock);
    }

    /** Keeps a certificate that is ours, signed by this CA, covers the profile's names and is not close to expiry. */
    private void issueOrKeep(
            List<Step> changes,
            ClusterSnapshot cluster,
            CertificateAuthority ca,
            String secretName,
            CertificateProfile profile,
            String summary) {
        Optional<Secret> current = cluster.secret(secretName);
        if (current.isPresent() && stillGood(current.get(), ca, profile)) {
            DesiredObjects.refuseForeign(cluster.name(), current.get());
            return;
        }
        IssuedCertificate issued = ca.issue(profile);
        Secret desired = ApiServerObjects.tlsSecret(
                namespace, secretName, ca.certificatePem(), issued.certificatePem(), issued.privateKeyPem());
        DesiredObjects.converge(changes, cluster.name(), desired, current, summary + " (" + profile.commonName() + ")");
    }

    private boolean stillGood(Secret secret, CertificateAuthority ca, CertificateProfile profile) {
        try {
            X509Certificate cert = Pem.parseCertificate(ApiServerObjects.decode(secret, CiliumNames.TLS_CRT));
            cert.verify(ca.certificate().getPublicKey());
            if (cert.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) {
                return false;
            }
            if (!cert.getSubjectX500Principal().getName().contains("CN=" + profile.commonName())) {
                return false;
            }
            List<String> names = new ArrayList<>();
            if (cert.getSubjectAlternativeNames() != null) {
                cert.getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
            }
            return names.containsAll(profile.dnsNames())
                    && profile.ipAddresses().stream()
                            .allMatch(ip -> names.stream().anyMatch(n -> sameIp(n, ip)));
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean sameIp(String a, String b) {
        if (!a.matches("[0-9a-fA-F:.]+") || !b.matches("[0-9a-fA-F:.]+")) {
            return a.equals(b);
        }
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
