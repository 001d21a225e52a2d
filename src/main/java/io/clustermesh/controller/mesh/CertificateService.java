package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumVersion;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.config.RotationConfig;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Polling;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.CertificateInfo;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.pki.Pem;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ClusterMesh certificates of a cluster (our mesh CA and the clustermesh-apiserver leaves):
 * what they are and how long they last, re-issuing the leaves, and rotating the CA with an overlap
 * ({@link CaRotation}) so that no link goes down.
 */
@ApplicationScoped
public class CertificateService {
    public static final String KIND = "certificate-rotation";
    /** Changing this pod-template annotation rolls the clustermesh-apiserver, whose etcd reads its CA file only at start. */
    static final String RESTARTED_AT = "clustermesh-controller.io/certificates-rotated-at";

    private static final List<String> LEAVES = CiliumNames.TLS_SECRETS;

    public record CertificateView(
            String secret,
            String role,
            String subject,
            String commonName,
            String issuer,
            List<String> dnsNames,
            List<String> ipAddresses,
            Instant notBefore,
            Instant notAfter,
            long daysLeft,
            boolean due,
            String sha256Fingerprint) {}

    /** @param trustBundle the CAs the clustermesh-apiserver trusts now (two while a CA rotation overlaps) */
    public record CertificatesView(
            String cluster,
            boolean simulated,
            long thresholdDays,
            List<CertificateView> certificates,
            List<CertificateView> trustBundle) {}

    /** One certificate's expiry, for health. */
    public record Expiry(String cluster, String what, Instant notAfter, long daysLeft, boolean due) {}

    /** Optional body of {@code POST .../certificates/rotations}: {@code ca=true} rotates the CA too. */
    public record RotationRequest(Boolean ca) {}

    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final OperationService operations;
    private final Clock clock;
    private final String namespace;
    private final Duration threshold;
    private final Duration readyTimeout;
    private final Duration mountedSecretTimeout;
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);

    public CertificateService(
            ClusterRegistry registry,
            FanOut fanOut,
            OperationService operations,
            Clock clock,
            MeshConfig meshConfig,
            RotationConfig rotation) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.operations = operations;
        this.clock = clock;
        this.namespace = meshConfig.namespace();
        this.threshold = rotation.certificateThreshold();
        this.readyTimeout = meshConfig.operations().readyTimeout();
        this.mountedSecretTimeout = meshConfig.operations().mountedSecretTimeout();
    }

    public CertificatesView view(String clusterName) {
        ManagedCluster cluster = registry.require(clusterName);
        ClusterGateway gw = cluster.gateway();
        List<CertificateView> certificates = new ArrayList<>();
        gw.secret(namespace, ApiServerObjects.MESH_CA_SECRET)
                .map(s -> ApiServerObjects.decode(s, CiliumNames.CA_CRT))
                .ifPresent(pem ->
                        certificates.add(describe(ApiServerObjects.MESH_CA_SECRET, "ca", Pem.parseCertificate(pem))));
        List<CertificateView> trust = new ArrayList<>();
        for (String name : LEAVES) {
            Optional<Secret> secret = gw.secret(namespace, name);
            if (secret.isEmpty()) {
                continue;
            }
            String cert = ApiServerObjects.decode(secret.get(), CiliumNames.TLS_CRT);
            if (cert != null) {
                certificates.add(describe(name, role(name), Pem.parseCertificate(cert)));
            }
            String ca = ApiServerObjects.decode(secret.get(), CiliumNames.CA_CRT);
            if (name.equals(CiliumNames.SERVER_CERT_SECRET) && ca != null) {
                Pem.parseCertificates(ca)
                        .forEach(c -> trust.add(describe(name + "/" + CiliumNames.CA_CRT, "trusted-ca", c)));
            }
        }
        return new CertificatesView(cluster.name(), cluster.simulated(), threshold.toDays(), certificates, trust);
    }

    /** Every managed cluster's certificates, soonest expiry first; unreachable clusters are left out. */
    public List<Expiry> expiries() {
        var answers = fanOut.ask(registry.clusters(), c -> view(c.name()));
        List<Expiry> expiries = new ArrayList<>();
        answers.values().stream()
                .filter(FanOut.Answer::ok)
                .map(FanOut.Answer::value)
                .forEach(v -> v.certificates()
                        .forEach(c -> expiries.add(new Expiry(
                                v.cluster(),
                                c.secret() + " (" + c.commonName() + ")",
                                c.notAfter(),
                                c.daysLeft(),
                                c.due()))));
        expiries.sort(Comparator.comparing(Expiry::notAfter));
        return expiries;
    }

    /** Whether any certificate of the cluster is inside the threshold; the CA being due means a CA rotation. */
    public Optional<RotationRequest> due(String clusterName) {
        CertificatesView view = view(clusterName);
        boolean caDue = view.certificates().stream().anyMatch(c -> c.role().equals("ca") && c.due());
        boolean leafDue = view.certificates().stream().anyMatch(c -> !c.role().equals("ca") && c.due());
        return caDue || leafDue ? Optional.of(new RotationRequest(caDue)) : Optional.empty();
    }

    public MutationResult rotate(String clusterName, RotationRequest request, boolean dryRun, String caller) {
        boolean rotateCa = request != null && Boolean.TRUE.equals(request.ca());
        ManagedCluster cluster = registry.require(clusterName);
        if (dryRun) {
            return new MutationResult.Planned(scope(cluster, rotateCa).plan());
        }
        List<String> queued = rotateCa ? List.of(MeshService.SHARED_CA_LOCK) : List.of();
        try (var reservation = operations.reserve(
                KIND, clusterName, caller, List.of(clusterName), queued, MeshService.SHARED_CA_WAIT)) {
            // Which clusters share the CA or hold entries is only known after reading; read again once they are locked
            // too.
            Scope scope = scope(cluster, rotateCa);
            while (!reservation.locks().containsAll(scope.locks())) {
                reservation.extend(scope.locks());
                scope = scope(cluster, rotateCa);
            }
            return start(reservation, cluster, rotateCa, scope);
        }
    }

    /** What one rotation reads and would write, read once; {@code locks} are the clusters it writes (and the shared CA). */
    private record Scope(
            CertificateAuthority currentCa,
            List<ManagedCluster> group,
            Map<ManagedCluster, String> ciliumNames,
            Map<ManagedCluster, List<ManagedCluster>> remotes,
            Plan plan,
            java.util.Set<String> locks) {}

    private Scope scope(ManagedCluster cluster, boolean rotateCa) {
        String clusterName = cluster.name();
        CertificateAuthority currentCa = meshCa(cluster);
        // A shared CA (the enable default) changes in every cluster that holds it, phase by phase.
        List<ManagedCluster> group = new ArrayList<>();
        group.add(cluster);
        if (rotateCa) {
            group.addAll(clustersSharingCa(cluster, currentCa));
        }
        Map<ManagedCluster, String> ciliumNames = new LinkedHashMap<>();
        Map<ManagedCluster, List<ManagedCluster>> remotes = new LinkedHashMap<>();
        for (ManagedCluster member : group) {
            String ciliumName = member.gateway()
                    .configMap(namespace, CiliumNames.CONFIG_MAP)
                    .map(CiliumConfig::from)
                    .map(CiliumConfig::clusterName)
                    .orElse(member.name());
            ciliumNames.put(member, ciliumName);
            remotes.put(
                    member,
                    remotesHoldingEntries(member, ciliumName).stream()
                            .filter(r -> !group.contains(r))
                            .toList());
        }
        List<Step> changes = new ArrayList<>();
        int phases = rotateCa ? 3 : 1;
        for (int phase = 1; phase <= phases; phase++) {
            String prefix = rotateCa ? "phase " + phase + "/3: " : "";
            for (ManagedCluster member : group) {
                if (rotateCa && phase == 2) {
                    changes.add(
                            secretChange(member.name(), ApiServerObjects.MESH_CA_SECRET, prefix + "store the new CA"));
                }
                for (String leaf : LEAVES) {
                    if (member.gateway().secret(namespace, leaf).isPresent()) {
                        changes.add(secretChange(
                                member.name(),
                                leaf,
                                prefix
                                        + (rotateCa && phase != 2
                                                ? "ca.crt = " + (phase == 1 ? "old + new CA" : "new CA")
                                                : "new certificate and key")));
                    }
                }
                for (ManagedCluster remote : remotes.get(member)) {
                    changes.add(secretChange(
                            remote.name(),
                            CiliumNames.KVSTOREMESH_SECRET,
                            prefix + "entries for " + ciliumNames.get(member) + " (trust"
                                    + (!rotateCa || phase == 2 ? ", client certificate" : "") + ")"));
                }
                changes.add(new Step.RunByService(
                        member.name(),
                        "update",
                        "Deployment",
                        namespace,
                        CiliumNames.APISERVER,
                        prefix + "restart so etcd reads the new trust and certificate"));
            }
        }
        List<String> warnings = new ArrayList<>();
        if (group.size() > 1) {
            warnings.add("the mesh CA is shared with "
                    + String.join(
                            ", ",
                            group.subList(1, group.size()).stream()
                                    .map(ManagedCluster::name)
                                    .toList()) + ": it rotates there too");
        }
        Plan plan = new Plan(KIND, clusterName, changes, warnings);
        java.util.Set<String> locked = new java.util.LinkedHashSet<>();
        group.forEach(m -> locked.add(m.name()));
        remotes.values().forEach(list -> list.forEach(r -> locked.add(r.name())));
        if (rotateCa) {
            locked.add(MeshService.SHARED_CA_LOCK);
        }
        return new Scope(currentCa, group, ciliumNames, remotes, plan, locked);
    }

    private MutationResult start(
            OperationService.Reservation reservation, ManagedCluster cluster, boolean rotateCa, Scope scope) {
        String clusterName = cluster.name();
        CertificateAuthority currentCa = scope.currentCa();
        List<ManagedCluster> group = scope.group();
        Map<ManagedCluster, String> ciliumNames = scope.ciliumNames();
        Map<ManagedCluster, List<ManagedCluster>> remotes = scope.remotes();
        Plan plan = scope.plan();
        java.util.Set<String> locked = reservation.locks();
        var operation = operations.start(reservation, plan.warnings(), op -> {
            String trust = cluster.gateway()
                    .secret(namespace, CiliumNames.SERVER_CERT_SECRET)
                    .map(s -> ApiServerObjects.decode(s, CiliumNames.CA_CRT))
                    .orElse(null);
            List<CaRotation.Phase> steps = rotateCa
                    ? CaRotation.overlap(currentCa, ClusterMeshCertificates.generateCa(clock))
                    : CaRotation.leavesOnly(currentCa, trust);
            op.plan(steps.stream().map(p -> clusterName + ": " + p.name()).toList());
            for (CaRotation.Phase phase : steps) {
                String step = clusterName + ": " + phase.name();
                op.start(step);
                try {
                    int written = 0;
                    for (ManagedCluster member : group) {
                        written += apply(
                                member,
                                ciliumNames.get(member),
                                remotes.get(member),
                                phase,
                                phase.signer() != null && phase.signer() != currentCa);
                    }
                    for (ManagedCluster member : group) {
                        waitForApiServer(member);
                    }
                    for (ManagedCluster member : group) {
                        awaitAgentsReadNewCertificates(member);
                    }
                    op.succeed(
                            step,
                            written + " object(s) written in "
                                    + locked.stream()
                                            .filter(l -> !l.equals(MeshService.SHARED_CA_LOCK))
                                            .count() + " cluster(s); clustermesh-apiserver ready");
                } catch (ProblemException e) {
                    op.fail(step, e.getMessage());
                    throw new ProblemException(
                            ProblemType.ROTATION_STOPPED,
                            "certificate rotation of " + clusterName + " stopped at \"" + phase.name() + "\": "
                                    + e.getMessage() + "; every link still verifies with the trust written so far");
                }
            }
        });
        return new MutationResult.Started(operation, plan);
    }

    private CertificateAuthority meshCa(ManagedCluster cluster) {
        Secret caSecret = cluster.gateway()
                .secret(namespace, ApiServerObjects.MESH_CA_SECRET)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CLUSTERMESH_NOT_ENABLED,
                        "cluster " + cluster.name() + " has no " + ApiServerObjects.MESH_CA_SECRET
                                + "; enable ClusterMesh on it with this service first (PUT /api/v1/clusters/"
                                + cluster.name() + "/clustermesh)"));
        return CertificateAuthority.load(
                ApiServerObjects.decode(caSecret, CiliumNames.CA_CRT),
                ApiServerObjects.decode(caSecret, CiliumNames.CA_KEY),
                clock);
    }

    private int apply(
            ManagedCluster cluster,
            String ciliumName,
            List<ManagedCluster> remotes,
            CaRotation.Phase phase,
            boolean newCa) {
        ClusterGateway gw = cluster.gateway();
        int written = 0;
        Map<String, IssuedCertificate> issued = new LinkedHashMap<>();
        if (phase.signer() != null && newCa) {
            gw.apply(withData(
                    gw.secret(namespace, ApiServerObjects.MESH_CA_SECRET).orElseThrow(),
                    Map.of(
                            CiliumNames.CA_CRT,
                            phase.signer().certificatePem(),
                            CiliumNames.CA_KEY,
                            phase.signer().privateKeyPem())));
            written++;
        }
        for (String leaf : LEAVES) {
            Optional<Secret> secret = gw.secret(namespace, leaf);
            if (secret.isEmpty()) {
                continue;
            }
            Map<String, String> data = new LinkedHashMap<>();
            data.put(CiliumNames.CA_CRT, phase.trustPem());
            if (phase.signer() != null) {
                X509Certificate current =
                        Pem.parseCertificate(ApiServerObjects.decode(secret.get(), CiliumNames.TLS_CRT));
                IssuedCertificate next = CaRotation.reissue(
                        phase.signer(), current, leaf.equals(CiliumNames.SERVER_CERT_SECRET), namespace);
                issued.put(leaf, next);
                data.put(CiliumNames.TLS_CRT, next.certificatePem());
                data.put(CiliumNames.TLS_KEY, next.privateKeyPem());
            }
            gw.apply(withData(secret.get(), data));
            written++;
        }
        IssuedCertificate remoteCert = issued.get(CiliumNames.REMOTE_CERT_SECRET);
        List<String> keys = ClusterMeshSecretEntries.entryKeysFor(ciliumName, false);
        for (ManagedCluster remote : remotes) {
            for (String secretName : List.of(CiliumNames.KVSTOREMESH_SECRET, CiliumNames.CLUSTERMESH_SECRET)) {
                Optional<Secret> secret = remote.gateway().secret(namespace, secretName);
                if (secret.isEmpty()
                        || secret.get().getData() == null
                        || !secret.get().getData().containsKey(keys.get(1))) {
                    continue;
                }
                Map<String, String> data = new LinkedHashMap<>();
                data.put(keys.get(1), phase.trustPem());
                if (remoteCert != null && secret.get().getData().containsKey(keys.get(2))) {
                    data.put(keys.get(2), remoteCert.certificatePem());
                    data.put(keys.get(3), remoteCert.privateKeyPem());
                }
                remote.gateway().apply(withData(secret.get(), data));
                written++;
            }
        }
        gw.deployment(namespace, CiliumNames.APISERVER).ifPresent(d -> {
            Deployment next = Serialization.clone(d);
            var template = next.getSpec().getTemplate().getMetadata();
            if (template.getAnnotations() == null) {
                template.setAnnotations(new LinkedHashMap<>());
            }
            template.getAnnotations().put(RESTARTED_AT, clock.instant().toString());
            gw.apply(next);
        });
        return written + 1;
    }

    private static Secret withData(Secret current, Map<String, String> plain) {
        Secret next = Serialization.clone(current);
        Map<String, String> data = new LinkedHashMap<>(next.getData() == null ? Map.of() : next.getData());
        plain.forEach((k, v) -> data.put(k, ApiServerObjects.b64(v)));
        next.setData(data);
        return next;
    }

    /** Clusters whose Secrets hold direct entries (own CA layout) for this one: they trust its CA and present its client cert. */
    private List<ManagedCluster> remotesHoldingEntries(ManagedCluster cluster, String ciliumName) {
        String caKey = ClusterMeshSecretEntries.entryKeysFor(ciliumName, false).get(1);
        List<ManagedCluster> others = registry.clusters().stream()
                .filter(c -> !c.name().equals(cluster.name()))
                .sorted(Comparator.comparing(ManagedCluster::name))
                .toList();
        var answers = fanOut.ask(
                others,
                c -> List.of(CiliumNames.KVSTOREMESH_SECRET, CiliumNames.CLUSTERMESH_SECRET).stream()
                        .map(n -> c.gateway().secret(namespace, n))
                        .flatMap(Optional::stream)
                        .anyMatch(s -> s.getData() != null && s.getData().containsKey(caKey)));
        List<ManagedCluster> holding = new ArrayList<>();
        for (ManagedCluster c : others) {
            var answer = answers.get(c);
            if (!answer.ok()) {
                throw new ProblemException(
                        ProblemType.CLUSTER_UNREACHABLE,
                        "cluster " + c.name() + " did not answer (" + answer.error() + "); it may hold entries for "
                                + cluster.name() + " that must change with its certificates",
                        "cluster");
            }
            if (answer.value()) {
                holding.add(c);
            }
        }
        return holding;
    }

    private List<ManagedCluster> clustersSharingCa(ManagedCluster cluster, CertificateAuthority ca) {
        List<ManagedCluster> others = registry.clusters().stream()
                .filter(c -> !c.name().equals(cluster.name()))
                .sorted(Comparator.comparing(ManagedCluster::name))
                .toList();
        var answers = fanOut.ask(
                others,
                c -> c.gateway()
                        .secret(namespace, ApiServerObjects.MESH_CA_SECRET)
                        .map(s -> ApiServerObjects.decode(s, CiliumNames.CA_CRT))
                        .orElse(""));
        List<ManagedCluster> sharing = new ArrayList<>();
        for (ManagedCluster c : others) {
            var answer = answers.get(c);
            if (!answer.ok()) {
                throw new ProblemException(
                        ProblemType.CLUSTER_UNREACHABLE,
                        "cluster " + c.name() + " did not answer (" + answer.error()
                                + "); it may share the mesh CA being rotated",
                        "cluster");
            }
            if (!answer.value().isEmpty() && ConnectPlanner.sameCa(answer.value(), ca.certificatePem())) {
                sharing.add(c);
            }
        }
        return sharing;
    }

    private void waitForApiServer(ManagedCluster cluster) {
        long until = System.nanoTime() + readyTimeout.toNanos();
        String last = "not observed yet";
        while (System.nanoTime() < until) {
            Optional<Deployment> deployment = cluster.gateway().deployment(namespace, CiliumNames.APISERVER);
            if (deployment.isEmpty() || ApiServerReadiness.isReady(deployment.get())) {
                return;
            }
            last = ApiServerReadiness.describe(deployment.get());
            Polling.pause(Duration.ofMillis(200));
        }
        throw new ProblemException(
                ProblemType.CLUSTER_UNREACHABLE,
                "clustermesh-apiserver of " + cluster.name() + " not ready after " + readyTimeout.toSeconds() + "s ("
                        + last + ")");
    }

    /**
     * The agents read their client certificate and trust for the local cache from a Secret volume,
     * which the kubelet refreshes on its own schedule: the next phase (dropping the old CA) must not
     * start before every agent holds what this phase wrote.
     */
    private void awaitAgentsReadNewCertificates(ManagedCluster member) {
        var gw = member.gateway();
        CiliumVersion version = gw.daemonSet(namespace, CiliumNames.AGENT_DAEMONSET)
                .flatMap(ds -> ds.getSpec().getTemplate().getSpec().getContainers().stream()
                        .filter(c -> CiliumNames.AGENT_CONTAINER.equals(c.getName()))
                        .findFirst())
                .map(c -> ClusterOverviewService.versionOfImage(c.getImage()))
                .map(CiliumVersion::parse)
                .orElse(null);
        if (version == null) {
            return;
        }
        var files = ClusterMeshSecretEntries.agentCacheClientFiles(version);
        Optional<Secret> secret = gw.secret(namespace, files.secret());
        if (secret.isEmpty()) {
            return;
        }
        Map<String, String> wanted = Map.of(
                files.certificatePath(),
                ApiServerObjects.decode(secret.get(), CiliumNames.TLS_CRT),
                files.caPath(),
                ApiServerObjects.decode(secret.get(), CiliumNames.CA_CRT));
        long until = System.nanoTime() + mountedSecretTimeout.toNanos();
        List<String> lagging = List.of();
        while (true) {
            lagging = new ArrayList<>();
            for (var agent :
                    gw.pods(namespace, Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE))) {
                String where = agent.getSpec() != null && agent.getSpec().getNodeName() != null
                        ? agent.getSpec().getNodeName()
                        : agent.getMetadata().getName();
                for (var file : wanted.entrySet()) {
                    String seen;
                    try {
                        seen = gw.exec(
                                namespace,
                                agent.getMetadata().getName(),
                                CiliumNames.AGENT_CONTAINER,
                                EXEC_TIMEOUT,
                                AgentCommands.readFile(file.getKey()).toArray(String[]::new));
                    } catch (RuntimeException e) {
                        // An observation: an exec that could not open (WebSocket handshake, agent restarting) is tried
                        // again.
                        seen = null;
                    }
                    if (seen == null
                            || !seen.strip()
                                    .equals(
                                            file.getValue() == null
                                                    ? ""
                                                    : file.getValue().strip())) {
                        lagging.add(where + " (" + file.getKey() + ")");
                        break;
                    }
                }
            }
            if (lagging.isEmpty()) {
                return;
            }
            if (System.nanoTime() > until) {
                break;
            }
            Polling.pause(Duration.ofMillis(1000));
        }
        throw new ProblemException(
                ProblemType.ROTATION_STOPPED,
                "agents of " + member.name() + " still read the previous "
                        + files.secret() + " after " + mountedSecretTimeout.toSeconds() + "s on " + lagging
                        + ": the kubelet refreshes mounted Secrets on its periodic sync; check the kubelet on those nodes and re-run the rotation");
    }

    private CertificateView describe(String secret, String role, X509Certificate certificate) {
        CertificateInfo info = CertificateInfo.of(certificate, clock);
        long daysLeft = info.daysLeft();
        boolean due = Duration.between(clock.instant(), info.notAfter()).compareTo(threshold) < 0;
        return new CertificateView(
                secret,
                role,
                info.subject(),
                info.commonName(),
                info.issuer(),
                info.dnsNames(),
                info.ipAddresses(),
                info.notBefore(),
                info.notAfter(),
                daysLeft,
                due,
                info.sha256Fingerprint());
    }

    private static String role(String secret) {
        return switch (secret) {
            case CiliumNames.SERVER_CERT_SECRET -> "server";
            case CiliumNames.ADMIN_CERT_SECRET -> "admin";
            case CiliumNames.REMOTE_CERT_SECRET -> "remote";
            default -> "local";
        };
    }

    private Step secretChange(String cluster, String name, String summary) {
        return new Step.RunByService(cluster, "update", "Secret", namespace, name, summary);
    }
}
