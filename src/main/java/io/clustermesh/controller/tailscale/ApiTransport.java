package io.clustermesh.controller.tailscale;

import io.clustermesh.controller.problems.ProblemType;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The retry loop of API v2 (§1): every attempt has a deadline, the whole call has a budget;
 * 429 waits for {@code Retry-After} (or backs off), 5xx and transport failures are retried
 * only for idempotent calls, a 401 with an OAuth token is retried once with a fresh token.
 * Log lines and exceptions name the operation ({@code GET /device/x}), never a header value.
 */
final class ApiTransport {
    private static final Logger LOG = Logger.getLogger(ApiTransport.class);

    private final NettyHttpClient http;
    private final ApiClientOptions options;
    private final Clock clock;
    private final SecretRedactor redactor;

    ApiTransport(NettyHttpClient http, ApiClientOptions options, Clock clock, SecretRedactor redactor) {
        this.http = http;
        this.options = options;
        this.clock = clock;
        this.redactor = redactor;
    }

    /** {@code auth} is null only for the token endpoint, which authenticates by form fields. */
    HttpResponse execute(ApiCall call, Authorizer auth) {
        long deadline = System.nanoTime() + options.retryBudget().toNanos();
        int retries = 0;
        boolean reauthorized = false;
        String lastProblem = "no attempt fit in the retry budget";
        while (true) {
            Duration remaining = remaining(deadline);
            if (remaining.isZero()) {
                throw unavailable(call, lastProblem);
            }
            Duration timeout = remaining.compareTo(options.requestTimeout()) < 0 ? remaining : options.requestTimeout();
            HttpResponse response;
            try {
                response = http.send(request(call, auth), timeout);
            } catch (InterruptedIOException e) {
                throw unavailable(call, "interrupted");
            } catch (IOException e) {
                lastProblem = redactor.scrub(String.valueOf(e.getMessage()));
                if (!call.idempotent()) {
                    throw unavailable(call, lastProblem);
                }
                pauseOrGiveUp(call, lastProblem, options.backoff().delay(retries++), deadline);
                continue;
            }
            if (response.isSuccess()) {
                return response;
            }
            int status = response.status();
            String message = redactor.scrub(ApiErrors.message(response));
            if (status == 401 && auth != null && !reauthorized && auth.invalidate()) {
                // §2: there is no refresh token; a 401 usually means our token expired early.
                LOG.infof("Tailscale API %s answered 401; fetching a new OAuth access token and retrying once", call);
                reauthorized = true;
                continue;
            }
            if (status == 401 || status == 403) {
                throw authFailure(call, auth, status, message);
            }
            if (status == 429) {
                Optional<Duration> hint = ApiErrors.retryAfter(response, clock);
                Duration wait = hint.orElse(options.backoff().delay(retries));
                retries++;
                if (wait.compareTo(remaining(deadline)) > 0) {
                    throw new TailscaleRateLimitedException(
                            hint.orElse(null),
                            "Tailscale API " + call
                                    + " is rate limited (429: " + message + ")"
                                    + hint.map(h -> "; retry after " + h.toSeconds() + " s")
                                            .orElse("")
                                    + "; poll devices at most every 30-60 s and prefer the LocalAPI for live state");
                }
                LOG.infof(
                        "Tailscale API %s answered 429 (%s); retrying in %d ms",
                        call, hint.isPresent() ? "Retry-After" : "backoff", wait.toMillis());
                sleep(call, wait);
                continue;
            }
            if (status >= 500 && status != 501 && call.idempotent()) {
                lastProblem = status + ": " + message;
                pauseOrGiveUp(call, lastProblem, options.backoff().delay(retries++), deadline);
                continue;
            }
            throw statusFailure(call, status, message);
        }
    }

    private HttpRequestSpec request(ApiCall call, Authorizer auth) {
        HttpRequestSpec spec = HttpRequestSpec.of(call.method(), URI.create(options.baseUrl() + call.path()))
                .withHeader("Accept", "application/json")
                .withHeader("User-Agent", "clustermesh-controller");
        if (call.body() != null) {
            spec = spec.withBody(call.contentType(), call.body());
        }
        if (auth != null) {
            spec = spec.withHeader("Authorization", auth.authorizationHeader());
        }
        return spec;
    }

    private void pauseOrGiveUp(ApiCall call, String problem, Duration wait, long deadline) {
        if (wait.compareTo(remaining(deadline)) > 0) {
            throw unavailable(call, problem);
        }
        LOG.debugf("Tailscale API %s failed (%s); retrying in %d ms", call, problem, wait.toMillis());
        sleep(call, wait);
    }

    private void sleep(ApiCall call, Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(call, "interrupted while waiting to retry");
        }
    }

    private static Duration remaining(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    private TailscaleApiException unavailable(ApiCall call, String problem) {
        return new TailscaleApiException(
                ProblemType.TAILSCALE_UNAVAILABLE,
                0,
                "Tailscale API " + call + " did not succeed within "
                        + options.retryBudget().toMillis() + " ms: " + problem);
    }

    private static TailscaleAuthException authFailure(ApiCall call, Authorizer auth, int status, String message) {
        if (auth == null) {
            return new TailscaleAuthException(
                    status,
                    null,
                    "Tailscale OAuth token endpoint rejected the client (" + status + ": " + message
                            + "); check mesh.tailscale.oauth-client-id and -secret");
        }
        if (status == 401) {
            return new TailscaleAuthException(
                    status,
                    call.requiredScope(),
                    "Tailscale API " + call + " rejected the credential (401: " + message + "): "
                            + auth.unauthorizedHint());
        }
        return new TailscaleAuthException(
                status,
                call.requiredScope(),
                "Tailscale API " + call
                        + " was refused (403: " + message + "): the credential lacks scope '" + call.requiredScope()
                        + "' (or 'all'/'all:read'), or cannot see this tailnet or device");
    }

    private static TailscaleApiException statusFailure(ApiCall call, int status, String message) {
        ProblemType type = switch (status) {
            case 400 -> ProblemType.INVALID_INPUT;
            case 404 -> ProblemType.NOT_FOUND;
            case 409, 412 -> ProblemType.CONFLICT;
            default -> status >= 500 ? ProblemType.TAILSCALE_UNAVAILABLE : ProblemType.INTERNAL;
        };
        return new TailscaleApiException(
                type, status, "Tailscale API " + call + " failed (" + status + ": " + message + ")");
    }
}
