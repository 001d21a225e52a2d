package io.clustermesh.controller.tailscale;

import io.clustermesh.controller.problems.ProblemException;
import java.util.Optional;

/**
 * How we authenticate to API v2 (§1, §2). {@code toString} never shows the secret: records
 * would otherwise print every component.
 */
public sealed interface TailscaleCredential {

    /** A personal API access token ({@code tskey-api-...}), sent as a Bearer token. */
    record ApiKey(String key) implements TailscaleCredential {
        public ApiKey {
            requireText(key, "api-key");
        }

        @Override
        public String toString() {
            return "ApiKey[****]";
        }
    }

    /** An OAuth client; its secret ({@code tskey-client-...}) buys one-hour access tokens. */
    record OAuthClient(String clientId, String clientSecret) implements TailscaleCredential {
        public OAuthClient {
            requireText(clientId, "oauth-client-id");
            requireText(clientSecret, "oauth-client-secret");
        }

        @Override
        public String toString() {
            return "OAuthClient[clientId=" + clientId + ", clientSecret=****]";
        }
    }

    /**
     * Picks the credential from configuration. Both kinds at once is refused rather than
     * guessed: a stale API key silently winning over a fresh OAuth client is hard to notice.
     */
    static Optional<TailscaleCredential> fromConfig(TailscaleConfig config) {
        boolean key = config.apiKey().filter(s -> !s.isBlank()).isPresent();
        boolean oauth = config.oauthClientId().filter(s -> !s.isBlank()).isPresent()
                || config.oauthClientSecret().filter(s -> !s.isBlank()).isPresent();
        if (key && oauth) {
            throw ProblemException.invalid(
                    "mesh.tailscale",
                    "set either mesh.tailscale.api-key or mesh.tailscale.oauth-client-id/-secret, not both");
        }
        if (key) {
            return Optional.of(new ApiKey(config.apiKey().get()));
        }
        if (oauth) {
            return Optional.of(new OAuthClient(
                    config.oauthClientId().orElse(""),
                    config.oauthClientSecret().orElse("")));
        }
        return Optional.empty();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid("mesh.tailscale." + name, "mesh.tailscale." + name + " is empty");
        }
    }
}
