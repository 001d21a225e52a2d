package io.clustermesh.controller.tailscale;

import java.net.URI;
import java.time.Duration;

/**
 * Tuning of {@link TailscaleApiClient}. {@code tokenRefreshFraction}: an OAuth access token is
 * replaced once this fraction of its {@code expires_in} has passed (§2 suggests ~55 of 60 min;
 * 0.85 leaves room for clock skew and a slow token call).
 */
public record ApiClientOptions(
        URI baseUrl,
        String tailnet,
        Duration requestTimeout,
        Duration retryBudget,
        Backoff backoff,
        double tokenRefreshFraction) {

    public ApiClientOptions {
        String base = baseUrl.toString();
        baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        tailnet = tailnet == null || tailnet.isBlank() ? "-" : tailnet;
        if (requestTimeout.isNegative() || requestTimeout.isZero() || retryBudget.isNegative()) {
            throw new IllegalArgumentException("request timeout must be positive and retry budget non-negative");
        }
        if (tokenRefreshFraction <= 0 || tokenRefreshFraction > 1) {
            throw new IllegalArgumentException("tokenRefreshFraction must be in (0, 1]");
        }
    }

    public static ApiClientOptions defaults() {
        return new ApiClientOptions(
                URI.create(TailscaleApiClient.DEFAULT_BASE_URL),
                "-",
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Backoff.standard(),
                0.85);
    }

    public static ApiClientOptions fromConfig(TailscaleConfig config) {
        return new ApiClientOptions(
                URI.create(config.apiBaseUrl()),
                config.tailnet(),
                config.requestTimeout(),
                config.maxRetryBudget(),
                Backoff.standard(),
                0.85);
    }

    public ApiClientOptions withBaseUrl(URI url) {
        return new ApiClientOptions(url, tailnet, requestTimeout, retryBudget, backoff, tokenRefreshFraction);
    }

    public ApiClientOptions withTimeouts(Duration request, Duration budget) {
        return new ApiClientOptions(baseUrl, tailnet, request, budget, backoff, tokenRefreshFraction);
    }

    public ApiClientOptions withBackoff(Backoff b) {
        return new ApiClientOptions(baseUrl, tailnet, requestTimeout, retryBudget, b, tokenRefreshFraction);
    }
}
