package io.clustermesh.controller.operations;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clustermesh.controller.cilium.HelmDryRun;
import io.clustermesh.controller.cilium.HelmRelease;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One step of a mutation's plan. Planners only build these (from snapshots they were given);
 * {@link PlanExecutor} is the one place that runs them, so a dry run (the plan, not run) shows
 * exactly what the real run does, in the same order.
 */
public sealed interface Step {

    /** The cluster the step acts on or waits for; null for a step of the operation itself. */
    String cluster();

    String summary();

    /** The step's name in the operation's progress: stable, so a re-run is recognisable. */
    String stepName();

    /** What the API, the page and the CLI show of the step (no object bodies: they may hold keys). */
    View view();

    /**
     * {@code step} is the name the operation's progress will give this step when it runs; {@code helm}
     * what a Helm-values step changes (dry run only: the values diff and the object diff).
     */
    record View(
            String cluster,
            String action,
            String kind,
            String namespace,
            String name,
            String summary,
            String step,
            @JsonInclude(JsonInclude.Include.NON_NULL) HelmDryRun helm) {
        View(String cluster, String action, String kind, String namespace, String name, String summary) {
            this(cluster, action, kind, namespace, name, summary, null, null);
        }

        View withStep(String stepName) {
            return new View(cluster, action, kind, namespace, name, summary, stepName, helm);
        }
    }

    /** Creates the object, or replaces it at the resourceVersion it was read at (see {@link ClusterGateway#apply}). */
    record Write(String cluster, HasMetadata desired, boolean exists, String summary) implements Step {
        @Override
        public View view() {
            var meta = desired.getMetadata();
            return new View(
                    cluster,
                    exists ? "update" : "create",
                    desired.getKind(),
                    meta.getNamespace(),
                    meta.getName(),
                    summary);
        }

        @Override
        public String stepName() {
            return named(view());
        }
    }

    record Delete(
            String cluster,
            Class<? extends HasMetadata> type,
            String kind,
            String namespace,
            String name,
            String summary)
            implements Step {
        public static Delete of(String cluster, HasMetadata current, String summary) {
            var meta = current.getMetadata();
            return new Delete(
                    cluster, current.getClass(), current.getKind(), meta.getNamespace(), meta.getName(), summary);
        }

        @Override
        public View view() {
            return new View(cluster, "delete", kind, namespace, name, summary);
        }

        @Override
        public String stepName() {
            return named(view());
        }
    }

    /**
     * Runs a command in the container of the pod that matches {@code podLabels} on {@code node}.
     * The pod is found when the step runs: a pod restarted by an earlier step has a new name. The
     * command must be idempotent (the executor tries it a second time when no answer came back).
     */
    record Exec(
            String cluster,
            String namespace,
            Map<String, String> podLabels,
            String node,
            String container,
            List<String> command,
            Duration timeout,
            String summary)
            implements Step {
        @Override
        public View view() {
            return new View(cluster, "exec", "Pod", namespace, "on node " + node, summary);
        }

        @Override
        public String stepName() {
            return cluster + ": exec in " + container + " on " + node + ": " + String.join(" ", command);
        }
    }

    /**
     * Waits until {@code condition} holds. The condition reads the clusters when the step runs; the
     * planner only decides what to wait for. A timeout fails the operation with {@code onTimeout}
     * and the last reason the condition gave, followed by {@code hint} (what to check, how to resume).
     */
    record Await(
            String cluster,
            String what,
            Condition condition,
            Duration timeout,
            Duration interval,
            ProblemType onTimeout,
            String hint,
            String summary)
            implements Step {
        /** How often a condition is read while it does not hold. */
        public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);

        public static Await until(
                String cluster,
                String what,
                Condition condition,
                Duration timeout,
                ProblemType onTimeout,
                String hint,
                String summary) {
            return new Await(cluster, what, condition, timeout, DEFAULT_INTERVAL, onTimeout, hint, summary);
        }

        @Override
        public View view() {
            return new View(cluster, "await", null, null, what, summary);
        }

        @Override
        public String stepName() {
            return cluster == null ? what : cluster + ": " + what;
        }
    }

    /**
     * {@code helm upgrade} of the Helm release that owns Cilium to {@code values}, the release's complete
     * next values (Helm mode: the user's values plus or minus the clustermesh settings), rendered with
     * the chart stored in {@code release}'s record. It runs only while the release is still at the
     * revision it was planned from, as a {@link Write} runs only at the resourceVersion it read.
     *
     * @param release   the release's latest revision, read when planning
     * @param pristine  a revision from before any change of ours (its chart defaults are rendered with)
     * @param operation recorded in the revision's description ({@code clustermesh-controller: <operation>})
     * @param preview   the dry run's diff of these values; null in a real run
     */
    record HelmValues(
            String cluster,
            HelmRelease release,
            HelmRelease pristine,
            ObjectNode values,
            String operation,
            String summary,
            HelmDryRun preview)
            implements Step {
        @Override
        public View view() {
            // Never the values themselves: they may hold the mesh CA's key (the preview hides it).
            return new View(
                    cluster,
                    "helm-upgrade",
                    "HelmRelease",
                    release.namespace(),
                    release.name(),
                    summary + " (revision " + release.revision() + " to " + (release.revision() + 1) + ", chart "
                            + release.chartVersion() + ")",
                    null,
                    preview);
        }

        @Override
        public String stepName() {
            return cluster + ": helm upgrade " + release.namespace() + "/" + release.name() + " (" + operation + ")";
        }

        @Override
        public String toString() {
            return "HelmValues[" + stepName() + "]";
        }
    }

    /**
     * Rewrites one object from what it holds when the step runs: {@code change} reads it (and what
     * earlier steps produced, such as a key a node generated) and returns it changed, written at the
     * resourceVersion just read. For an object a plan writes more than once (a progress record):
     * a {@link Write} made at planning time would carry a resourceVersion the first write made stale.
     */
    record Update(
            String cluster, String kind, String namespace, String name, String what, Change change, String summary)
            implements Step {
        @Override
        public View view() {
            return new View(cluster, "update", kind, namespace, name, summary);
        }

        @Override
        public String stepName() {
            return cluster + ": " + what;
        }
    }

    /** Gives back a lock before the operation ends (the shared mesh CA once it is chosen and written). */
    record ReleaseLock(String lock, String summary) implements Step {
        @Override
        public String cluster() {
            return null;
        }

        @Override
        public View view() {
            return new View(null, "release", null, null, lock, summary);
        }

        @Override
        public String stepName() {
            return "release lock '" + lock + "'";
        }
    }

    /**
     * A step of one phase of a plan that writes the same objects more than once (a CA rotation:
     * trust both CAs, switch the leaves, drop the old CA): the phase keeps the step names unique in
     * the operation's progress and says in the dry run which phase a write belongs to.
     */
    record InPhase(String phase, Step step) implements Step {
        @Override
        public String cluster() {
            return step.cluster();
        }

        @Override
        public String summary() {
            return phase + ": " + step.summary();
        }

        @Override
        public View view() {
            View v = step.view();
            return new View(v.cluster(), v.action(), v.kind(), v.namespace(), v.name(), summary());
        }

        @Override
        public String stepName() {
            return phase + ": " + step.stepName();
        }
    }

    /** What an {@link Await} checks, given the gateways of the managed clusters by name. */
    @FunctionalInterface
    interface Condition {
        Check check(Function<String, ClusterGateway> clusters);
    }

    /** The desired object of an {@link Update}, built from the cluster as it is when the step runs. */
    @FunctionalInterface
    interface Change {
        HasMetadata desired(ClusterGateway cluster);
    }

    /** One reading of a condition: met, not yet (why), or failed for good (why: no point in waiting). */
    sealed interface Check {
        record Met(String message) implements Check {}

        record Waiting(String reason) implements Check {}

        /** {@code type}, when set, is the problem this failure is (else the await's {@code onTimeout}). */
        record Failed(String reason, ProblemType type) implements Check {
            public Failed(String reason) {
                this(reason, null);
            }
        }
    }

    private static String named(View v) {
        return v.cluster() + ": " + v.action() + " " + v.kind() + " "
                + (v.namespace() == null ? "" : v.namespace() + "/") + v.name();
    }
}
