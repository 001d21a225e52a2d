package io.clustermesh.controller.operations;

import io.clustermesh.controller.cilium.HelmRelease;
import io.clustermesh.controller.cilium.HelmValuesUpgrade;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The one executor of every mutation's plan. Each step is reported as it starts and ends; the
 * first failure stops the run with its reason. Re-running the mutation plans again from what the
 * clusters now hold, so the steps already done drop out and the run resumes where it stopped.
 */
@ApplicationScoped
public class PlanExecutor {
    private static final Logger LOG = Logger.getLogger(PlanExecutor.class);

    private final ClusterRegistry registry;
    private final OperationService operations;

    public PlanExecutor(ClusterRegistry registry, OperationService operations) {
        this.registry = registry;
        this.operations = operations;
    }

    /** Declares every step up front (progress has its denominator), then runs them in order. */
    public void run(Plan plan, OperationContext op) {
        op.plan(plan.steps().stream().map(Step::stepName).toList());
        Map<String, ObjectMeta> written = new HashMap<>();
        for (Step step : plan.steps()) {
            String name = step.stepName();
            op.start(name);
            try {
                String outcome = runStep(step, op, written);
                op.succeed(name, outcome);
                LOG.infof("operation %s: %s", op.operationId(), name);
            } catch (RuntimeException e) {
                op.fail(name, e.getMessage());
                throw e;
            }
        }
    }

    // Java 17: no pattern switch yet, so the sealed type is dispatched by instanceof, and an unknown step fails loudly.
    private String runStep(Step step, OperationContext op, Map<String, ObjectMeta> written) {
        if (step instanceof Step.InPhase inPhase) {
            return runStep(inPhase.step(), op, written);
        }
        if (step instanceof Step.Write write) {
            var meta = write.desired().getMetadata();
            String key = objectKey(write.cluster(), write.desired().getKind(), meta.getNamespace(), meta.getName());
            HasMetadata applied = gateway(write.cluster()).apply(onTopOf(written.get(key), write.desired()));
            written.put(key, applied.getMetadata());
            return write.summary();
        }
        if (step instanceof Step.Update update) {
            ClusterGateway gateway = gateway(update.cluster());
            gateway.apply(update.change().desired(gateway));
            return update.summary();
        }
        if (step instanceof Step.Delete delete) {
            written.remove(objectKey(delete.cluster(), delete.kind(), delete.namespace(), delete.name()));
            boolean deleted = gateway(delete.cluster()).delete(delete.type(), delete.namespace(), delete.name());
            return deleted ? delete.summary() : "already gone";
        }
        if (step instanceof Step.Exec exec) {
            return exec(exec);
        }
        if (step instanceof Step.Await await) {
            return await(await);
        }
        if (step instanceof Step.HelmValues helm) {
            return helmUpgrade(helm);
        }
        if (step instanceof Step.ReleaseLock release) {
            operations.releaseEarly(op.operationId(), release.lock());
            return "released";
        }
        throw new ProblemException(
                ProblemType.INTERNAL, "step '" + step.stepName() + "' is not run by the plan executor");
    }

    private static String objectKey(String cluster, String kind, String namespace, String name) {
        return cluster + "/" + kind + "/" + namespace + "/" + name;
    }

    /**
     * A plan may write one object again in a later phase: the planner read it once, so that write
     * is guarded by the resourceVersion (and generation) our earlier write left, and still fails
     * with a conflict if anybody else wrote in between.
     */
    private static HasMetadata onTopOf(ObjectMeta earlier, HasMetadata desired) {
        if (earlier == null) {
            return desired;
        }
        HasMetadata next = Serialization.clone(desired);
        next.getMetadata().setResourceVersion(earlier.getResourceVersion());
        next.getMetadata().setGeneration(earlier.getGeneration());
        return next;
    }

    private String exec(Step.Exec exec) {
        ClusterGateway gateway = gateway(exec.cluster());
        List<Pod> pods = gateway.pods(exec.namespace(), exec.podLabels()).stream()
                .filter(p ->
                        p.getSpec() != null && exec.node().equals(p.getSpec().getNodeName()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        if (pods.size() != 1) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "cluster " + exec.cluster() + ": expected one " + exec.podLabels() + " pod on node " + exec.node()
                            + ", found " + pods.size() + "; re-running resumes once it runs");
        }
        String pod = pods.get(0).getMetadata().getName();
        String[] command = exec.command().toArray(String[]::new);
        // Exec steps are idempotent (see Step.Exec): one that got no answer is asked once more.
        gateway.execSafeToRepeat(exec.namespace(), pod, exec.container(), exec.timeout(), command);
        return exec.summary();
    }

    /**
     * Runs {@code helm upgrade} only while the release is at the revision planned from: a revision
     * made since (the user's own upgrade) would be overwritten with values that do not hold it.
     */
    private String helmUpgrade(Step.HelmValues helm) {
        ManagedCluster cluster = registry.require(helm.cluster());
        String release = helm.release().name();
        List<HelmRelease> history = HelmRelease.history(
                cluster.gateway().list(Secret.class, helm.release().namespace(), HelmRelease.recordsOf(release)),
                release);
        int latest = history.isEmpty() ? 0 : history.get(history.size() - 1).revision();
        if (latest != helm.release().revision()) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "cluster " + helm.cluster() + ": Helm release " + release + " is at revision " + latest + ", not "
                            + helm.release().revision() + " as planned; re-run to plan from it");
        }
        try {
            var upgraded = new HelmValuesUpgrade(cluster.kubeconfigForHelm(), !cluster.simulated())
                    .upgrade(helm.release(), helm.pristine(), helm.values(), helm.operation(), false);
            return helm.summary() + ": revision " + upgraded.getRevision();
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new ProblemException(
                    ProblemType.HELM_UPGRADE_FAILED,
                    "cluster " + helm.cluster() + ": helm upgrade of " + release + " failed: " + e.getMessage()
                            + "; the release keeps its revision " + latest + " (helm history shows it)");
        }
    }

    private String await(Step.Await await) {
        Function<String, ClusterGateway> clusters = this::gateway;
        long until = System.nanoTime() + await.timeout().toNanos();
        String last = "not checked yet";
        while (true) {
            Step.Check check;
            try {
                check = await.condition().check(clusters);
            } catch (ProblemException e) {
                // A cluster that does not answer for a moment (an apiserver pod restarting) is a reason to wait, not to
                // stop.
                check = new Step.Check.Waiting(e.getMessage());
            }
            if (check instanceof Step.Check.Met met) {
                return met.message();
            }
            if (check instanceof Step.Check.Failed failed) {
                ProblemType type = failed.type() == null ? await.onTimeout() : failed.type();
                throw new ProblemException(type, where(await) + failed.reason() + "; " + await.hint());
            }
            last = ((Step.Check.Waiting) check).reason();
            if (System.nanoTime() > until) {
                throw new ProblemException(
                        await.onTimeout(),
                        where(await) + await.what() + ": not done after "
                                + await.timeout().toSeconds() + "s (" + last + "); " + await.hint());
            }
            Polling.pause(await.interval());
        }
    }

    private static String where(Step.Await await) {
        return await.cluster() == null ? "" : "cluster " + await.cluster() + ": ";
    }

    private ClusterGateway gateway(String cluster) {
        return registry.require(cluster).gateway();
    }
}
