package io.clustermesh.controller.tailscale;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code mesh.tailscale.*}. Everything is optional or defaulted so the service starts without
 * Tailscale; set {@code api-key} or the OAuth pair to enable API v2 calls.
 */
@ConfigMapping(prefix = "mesh.tailscale")
public interface TailscaleConfig {

    @WithDefault(TailscaleApiClient.DEFAULT_BASE_URL)
    String apiBaseUrl();

    /** {@code -} = the credential's own tailnet (§1). */
    @WithDefault("-")
    String tailnet();

    Optional<String> apiKey();

    /**
     * PEM file of the CA that signs the API endpoint's certificate, for an endpoint behind a
     * private CA (a TLS-inspecting proxy, a test double); the JVM's trust store otherwise.
     */
    Optional<String> apiCaFile();

    Optional<String> oauthClientId();

    Optional<String> oauthClientSecret();

    /** Host default; operator proxies and sidecars use {@code /tmp/tailscaled.sock} (§7). */
    @WithDefault("/var/run/tailscale/tailscaled.sock")
    String localapiSocket();

    /** Deadline of one HTTP attempt. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Total time one API call may spend, retries and Retry-After waits included. */
    @WithDefault("30s")
    Duration maxRetryBudget();
}
