package io.clustermesh.controller.tailscale;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermesh.controller.problems.ProblemType;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Client-credentials tokens for an OAuth client (§2): fetched on first use, cached, replaced
 * after {@code tokenRefreshFraction} of {@code expires_in} (there is no refresh token) or
 * when the API answers 401.
 */
final class OAuthTokenSource implements Authorizer {
    private static final Logger LOG = Logger.getLogger(OAuthTokenSource.class);
    private static final long DEFAULT_EXPIRES_IN = 3600;

    private record Token(String value, Instant refreshAt, String scope) {
        @Override
        public String toString() {
            return "Token[refreshAt=" + refreshAt + ", scope=" + scope + "]";
        }
    }

    private final TailscaleCredential.OAuthClient client;
    private final ApiTransport transport;
    private final Clock clock;
    private final double refreshFraction;
    private final SecretRedactor redactor;
    private Token current;

    OAuthTokenSource(
            TailscaleCredential.OAuthClient client,
            ApiTransport transport,
            Clock clock,
            double refreshFraction,
            SecretRedactor redactor) {
        this.client = client;
        this.transport = transport;
        this.clock = clock;
        this.refreshFraction = refreshFraction;
        this.redactor = redactor;
    }

    @Override
    public synchronized String authorizationHeader() {
        if (current == null || !clock.instant().isBefore(current.refreshAt())) {
            current = fetch();
        }
        return "Bearer " + current.value();
    }

    @Override
    public synchronized boolean invalidate() {
        current = null;
        return true;
    }

    @Override
    public String unauthorizedHint() {
        return "a freshly fetched OAuth access token was rejected too; check that the OAuth client " + client.clientId()
                + " still exists";
    }

    /** Scopes granted to the current token (for diagnostics), empty before the first call. */
    synchronized String grantedScopes() {
        return current == null ? "" : current.scope();
    }

    private Token fetch() {
        // Form-encoded per §2; grant_type is what standard OAuth2 clients send, and is accepted.
        String form = "grant_type=client_credentials&client_id=" + encode(client.clientId()) + "&client_secret="
                + encode(client.clientSecret());
        ApiCall call = new ApiCall(
                "POST",
                "/oauth/token",
                form.getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded",
                null,
                true);
        HttpResponse response;
        try {
            response = transport.execute(call, null);
        } catch (TailscaleApiException e) {
            // OAuth servers answer a bad client with 400 invalid_client as often as with 401.
            if (e.status() == 400) {
                throw new TailscaleAuthException(
                        400, null, e.getMessage() + "; check mesh.tailscale.oauth-client-id and -secret");
            }
            throw e;
        }
        JsonNode root;
        try {
            root = Json.parse(response.body());
        } catch (IOException e) {
            throw new TailscaleApiException(
                    ProblemType.INTERNAL,
                    response.status(),
                    "Tailscale OAuth token endpoint answered with unreadable JSON");
        }
        String token = Json.text(root, "access_token");
        if (token.isEmpty()) {
            throw new TailscaleApiException(
                    ProblemType.INTERNAL,
                    response.status(),
                    "Tailscale OAuth token endpoint answered without an access_token");
        }
        redactor.addToken(token);
        long expiresIn = Json.number(root, "expires_in");
        if (expiresIn <= 0) {
            expiresIn = DEFAULT_EXPIRES_IN;
        }
        Duration lifetime = Duration.ofMillis((long) (expiresIn * 1000 * refreshFraction));
        String scope = Json.text(root, "scope");
        LOG.infof(
                "Fetched a Tailscale OAuth access token for client %s (expires in %d s, scopes: %s)",
                client.clientId(), expiresIn, scope.isEmpty() ? "(not stated)" : scope);
        return new Token(token, clock.instant().plus(lifetime), scope);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
