package io.clustermesh.controller.rotation;

import io.clustermesh.controller.certificates.CertificateService;
import io.clustermesh.controller.config.RotationConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.wireguard.WireGuardRotationService;
import io.clustermesh.controller.wireguard.WireGuardView;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Scheduled rotations (off unless {@code mesh.rotation.schedule.enabled}): WireGuard keys older
 * than {@code mesh.rotation.wireguard-max-age} (an interrupted rotation is resumed first) and
 * certificates inside {@code mesh.rotation.certificate-threshold}. Only the elected replica runs
 * them. Each rotation is an ordinary operation, visible in {@code /api/v1/operations}.
 */
@ApplicationScoped
public class RotationScheduler {
    private static final Logger LOG = Logger.getLogger(RotationScheduler.class);
    private static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    static final String CALLER = "scheduler";

    /** What one pass started (operation ids) or skipped, per cluster. */
    public record Pass(boolean leader, List<String> started, List<String> skipped) {}

    private final RotationConfig config;
    private final ClusterRegistry registry;
    private final WireGuardRotationService wireGuard;
    private final CertificateService certificates;
    private final Clock clock;
    private LeaderElection election;
    private KubernetesClient ownCluster;

    public RotationScheduler(
            RotationConfig config,
            ClusterRegistry registry,
            WireGuardRotationService wireGuard,
            CertificateService certificates,
            Clock clock) {
        this.config = config;
        this.registry = registry;
        this.wireGuard = wireGuard;
        this.certificates = certificates;
        this.clock = clock;
    }

    @Scheduled(
            cron = "${mesh.rotation.schedule.cron:0 17 3 * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.schedule().enabled()) {
            runPass();
        }
    }

    /** One pass, if this replica leads. */
    public Pass runPass() {
        if (!election().tryLead()) {
            LOG.debugf("scheduled rotation skipped: %s leads", election().holder());
            return new Pass(false, List.of(), List.of());
        }
        List<String> started = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ManagedCluster cluster : registry.clusters().stream()
                .sorted(Comparator.comparing(ManagedCluster::name))
                .toList()) {
            String name = cluster.name();
            try {
                wireGuard.observe(name);
                WireGuardView view = wireGuard.view(name);
                List<String> due = view.nodes().stream()
                        .filter(WireGuardView.NodeKey::due)
                        .map(WireGuardView.NodeKey::node)
                        .toList();
                if (view.wireguardEnabled() && (view.rotation() != null || !due.isEmpty())) {
                    var request = view.rotation() != null ? null : new WireGuardRotationService.RotationRequest(due, 1);
                    started.add(id(wireGuard.rotate(name, request, false, CALLER)));
                }
            } catch (ProblemException e) {
                skipped.add(name + " wireguard: " + e.getMessage());
            }
            try {
                Optional<CertificateService.RotationRequest> due = certificates.due(name);
                if (due.isPresent()) {
                    started.add(id(certificates.rotate(name, due.get(), false, CALLER)));
                }
            } catch (ProblemException e) {
                skipped.add(name + " certificates: " + e.getMessage());
            }
        }
        if (!started.isEmpty() || !skipped.isEmpty()) {
            LOG.infof("scheduled rotation pass: started %s; skipped %s", started, skipped);
        }
        return new Pass(true, started, skipped);
    }

    private static String id(io.clustermesh.controller.mesh.MutationResult result) {
        return result instanceof io.clustermesh.controller.mesh.MutationResult.Started s
                ? s.operation().id()
                : "planned";
    }

    /** A Lease in our own namespace when running in a pod, a local file lock otherwise. */
    synchronized LeaderElection election() {
        if (election == null) {
            Optional<String> namespace = config.schedule().leaseNamespace().or(RotationScheduler::ownNamespace);
            if (namespace.isPresent() && System.getenv("KUBERNETES_SERVICE_HOST") != null) {
                ownCluster = new KubernetesClientBuilder().build();
                String identity = Optional.ofNullable(System.getenv("HOSTNAME"))
                        .orElse("clustermesh-controller-" + UUID.randomUUID());
                election = new LeaseLeaderElection(
                        ownCluster,
                        namespace.get(),
                        config.schedule().leaseName(),
                        identity,
                        config.schedule().leaseDuration(),
                        clock);
            } else {
                election = new LocalLeaderElection(Path.of(
                        System.getProperty("java.io.tmpdir"), config.schedule().leaseName() + ".lock"));
            }
        }
        return election;
    }

    private static Optional<String> ownNamespace() {
        try {
            return Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)
                    ? Optional.of(Files.readString(SERVICE_ACCOUNT_NAMESPACE).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (ownCluster != null) {
            ownCluster.close();
        }
    }
}
