package io.clustermesh.controller.tailscale;

import io.clustermesh.controller.problems.ProblemType;
import java.time.Duration;
import java.util.Optional;

/** 429 that outlasted the retry budget. {@link #retryAfter()} is the server's hint, if any (§1, U). */
public final class TailscaleRateLimitedException extends TailscaleApiException {
    private final Duration retryAfter;

    public TailscaleRateLimitedException(Duration retryAfter, String detail) {
        super(ProblemType.TAILSCALE_RATE_LIMITED, 429, detail);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
