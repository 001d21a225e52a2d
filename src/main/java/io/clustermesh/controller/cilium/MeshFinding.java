package io.clustermesh.controller.cilium;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.util.List;

/**
 * One thing the mesh validator found wrong or risky.
 *
 * @param clusters the cluster keys involved (one for a per-cluster rule, several for a conflict)
 */
public record MeshFinding(Severity severity, ProblemType type, String field, String message, List<String> clusters) {

    public enum Severity {
        /** The mesh will not work (or Cilium refuses it): block the operation. */
        ERROR,
        /** Works, but against a Cilium recommendation: show it, don't block. */
        WARNING
    }

    public MeshFinding {
        clusters = List.copyOf(clusters);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public ProblemException toProblem() {
        return new ProblemException(type, message, field);
    }
}
