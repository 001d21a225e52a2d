package io.clustermesh.controller.certificates;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.config.RotationConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.health.spi.Expiry;
import io.clustermesh.controller.mesh.MeshService;
import io.clustermesh.controller.mesh.MutationResult;
import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.PlanExecutor;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ClusterMesh certificates of a cluster (our mesh CA and the clustermesh-apiserver leaves):
 * what they are and how long they last, and their rotation: leaves only, or the CA with an
 * overlap ({@link CaRotation}) so that no link goes down. A rotation is a plan
 * ({@link RotationPlanner}) over a snapshot read under the locks, run by the one executor.
 */
@ApplicationScoped
public class CertificateService {
    public static final String KIND = RotationPlanner.KIND;

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

    /** Optional body of {@code POST .../certificates/rotations}: {@code ca=true} rotates the CA too. */
    public record RotationRequest(Boolean ca) {}

    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final OperationService operations;
    private final PlanExecutor executor;
    private final Clock clock;
    private final Duration threshold;
    private final CertificateViews views;
    private final RotationReader reader;
    private final RotationPlanner planner;

    public CertificateService(
            ClusterRegistry registry,
            FanOut fanOut,
            OperationService operations,
            PlanExecutor executor,
            Clock clock,
            MeshConfig meshConfig,
            RotationConfig rotation) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.operations = operations;
        this.executor = executor;
        this.clock = clock;
        this.threshold = rotation.certificateThreshold();
        String namespace = meshConfig.namespace();
        this.views = new CertificateViews(namespace, threshold, clock);
        this.reader = new RotationReader(registry, fanOut, namespace);
        this.planner = new RotationPlanner(
                namespace,
                clock,
                new RotationAwaits(
                        namespace,
                        meshConfig.operations().readyTimeout(),
                        meshConfig.operations().mountedSecretTimeout()));
    }

    public CertificatesView view(String clusterName) {
        return views.view(registry.require(clusterName));
    }

    /** Every managed cluster's certificates, soonest expiry first; unreachable clusters are left out. */
    public List<Expiry> expiries() {
        var answers = fanOut.ask(registry.clusters(), c -> view(c.name()));
        List<Expiry> expiries = new ArrayList<>();
        answers.values().stream()
                .filter(FanOut.Answer::ok)
                .map(FanOut.Answer::value)
                .forEach(v -> v.certificates()
                        .forEach(c -> expiries.add(Expiry.of(
                                c.secret() + " (" + c.commonName() + ")",
                                v.cluster(),
                                c.notAfter(),
                                c.notAfter().minus(threshold),
                                clock))));
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
            return new MutationResult.Planned(plan(reader.read(cluster, rotateCa)));
        }
        List<String> queued = rotateCa ? List.of(MeshService.SHARED_CA_LOCK) : List.of();
        try (var reservation = operations.reserve(
                KIND, clusterName, caller, List.of(clusterName), queued, MeshService.SHARED_CA_WAIT)) {
            // Which clusters share the CA or hold entries is only known after reading: lock them and read again.
            RotationSnapshot snapshot = reader.read(cluster, rotateCa);
            while (!reservation.locks().containsAll(snapshot.locks())) {
                reservation.extend(snapshot.locks());
                snapshot = reader.read(cluster, rotateCa);
            }
            Plan plan = plan(snapshot);
            plan.clusters().stream()
                    .filter(c -> !reservation.locks().contains(c))
                    .findFirst()
                    .ifPresent(c -> {
                        throw new ProblemException(
                                ProblemType.INTERNAL,
                                "the certificate rotation plan writes to cluster " + c + ", which it did not lock");
                    });
            var operation = operations.start(reservation, plan.warnings(), op -> executor.run(plan, op));
            return new MutationResult.Started(operation, plan);
        }
    }

    private Plan plan(RotationSnapshot snapshot) {
        CertificateAuthority newCa = snapshot.rotateCa() ? ClusterMeshCertificates.generateCa(clock) : null;
        return planner.plan(snapshot, newCa);
    }
}
