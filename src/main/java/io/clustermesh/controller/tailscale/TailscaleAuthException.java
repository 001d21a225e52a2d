package io.clustermesh.controller.tailscale;

import io.clustermesh.controller.problems.ProblemType;

/**
 * 401 (credential invalid, expired or revoked) or 403 (valid but missing a scope, §2 table).
 * {@link #requiredScope()} names the scope the failed operation needs, or null for the token
 * endpoint.
 */
public final class TailscaleAuthException extends TailscaleApiException {
    private final String requiredScope;

    public TailscaleAuthException(int status, String requiredScope, String detail) {
        super(ProblemType.TAILSCALE_UNAUTHORIZED, status, detail);
        this.requiredScope = requiredScope;
    }

    public String requiredScope() {
        return requiredScope;
    }
}
