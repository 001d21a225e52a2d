package io.clustermesh.controller.tailscale;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;

/** tailscaled's LocalAPI answered with an error, timed out, or its socket is unreachable (§7). */
public final class LocalApiException extends ProblemException {
    private final int status;

    public LocalApiException(ProblemType type, int status, String detail) {
        super(type, detail);
        this.status = status;
    }

    /** HTTP status from tailscaled, 0 when there was no answer. */
    public int status() {
        return status;
    }
}
