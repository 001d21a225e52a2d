package io.clustermesh.controller.tailscale;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;

/**
 * A Tailscale API v2 call failed. {@link #status()} is the HTTP status (0 when no response
 * arrived). Messages are built from our own text plus the server's {@code message}, with every
 * known secret scrubbed, so they are safe to log and to return to API clients.
 */
public class TailscaleApiException extends ProblemException {
    private final int status;

    public TailscaleApiException(ProblemType type, int status, String detail) {
        super(type, detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
