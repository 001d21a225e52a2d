package io.clustermesh.controller.contexts;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;

/**
 * A command run in a container answered with a non-zero exit status: unlike a call that got no
 * answer, this is the command's own verdict, and running it again would not change it.
 */
public class CommandExited extends ProblemException {
    private final int exitCode;

    public CommandExited(String detail, int exitCode) {
        super(ProblemType.CLUSTER_UNREACHABLE, detail);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
