package io.clustermesh.controller.problems;

/**
 * A change refused because a GitOps tool owns Cilium in that cluster: a write of ours would be
 * reverted (or fought over) at its next sync. The answer carries the values to commit instead.
 */
public class GitOpsManagedException extends ProblemException {
    private final String values;

    public GitOpsManagedException(String detail, String values) {
        super(ProblemType.GITOPS_MANAGED, detail, "cluster");
        this.values = values;
    }

    /** The Cilium chart values (YAML) that make the same change through Git. */
    public String values() {
        return values;
    }
}
