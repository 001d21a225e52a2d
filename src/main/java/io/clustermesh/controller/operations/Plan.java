package io.clustermesh.controller.operations;

import java.util.List;

/**
 * What a mutation will do, in order, plus findings worth a user's attention. A dry run answers
 * with it; the real run hands the same plan to {@link PlanExecutor}.
 */
public record Plan(String kind, String target, List<Step> steps, List<String> warnings) {

    public Plan {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    /** Nothing to write, delete, run or wait for: the clusters already match. */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    public List<Step.View> views() {
        return steps.stream().map(step -> step.view().withStep(step.stepName())).toList();
    }

    /** The clusters the plan acts on (their locks must be held while it runs). */
    public List<String> clusters() {
        return steps.stream()
                .map(Step::cluster)
                .filter(c -> c != null)
                .distinct()
                .toList();
    }
}
