package io.clustermesh.controller.tailscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.tailscale.support.ApiTestBed;
import io.clustermesh.controller.tailscale.support.FakeTailscaleApi.Reply;
import io.clustermesh.controller.tailscale.support.FakeTailscaleApi.Request;
import io.clustermesh.controller.tailscale.support.Fixtures;
import io.clustermesh.controller.tailscale.support.SilentServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TailscaleApiRetryTest {
    private static final String DEVICES = "/tailnet/-/devices";
    private ApiTestBed bed;

    @BeforeEach
    void start() throws Exception {
        bed = new ApiTestBed();
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    private static Duration gap(List<Request> requests, int i) {
        return Duration.ofNanos(
                requests.get(i + 1).arrivedNanos() - requests.get(i).arrivedNanos());
    }

    @Test
    void badKeyGivesAClearErrorWithoutTheKey() {
        bed.api.on("GET", DEVICES, Reply.json(401, "{\"message\":\"API token invalid\"}"));

        assertThatThrownBy(() -> bed.withApiKey().listDevices())
                .isInstanceOfSatisfying(TailscaleAuthException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.type()).isEqualTo(ProblemType.TAILSCALE_UNAUTHORIZED);
                })
                .hasMessageContaining("API token invalid")
                .hasMessageContaining("invalid, expired")
                .hasMessageNotContaining(ApiTestBed.API_KEY);
        assertThat(bed.api.requests()).as("a bad key is not retried").hasSize(1);
    }

    @Test
    void missingScopeIsNamedInTheError() {
        bed.api.on("GET", "/device/nHmLb7ub11CNTRL/routes", Reply.json(403, "{\"message\":\"forbidden\"}"));

        assertThatThrownBy(() -> bed.withApiKey().deviceRoutes("nHmLb7ub11CNTRL"))
                .isInstanceOfSatisfying(
                        TailscaleAuthException.class,
                        e -> assertThat(e.requiredScope()).isEqualTo("devices:routes:read"))
                .hasMessageContaining("lacks scope 'devices:routes:read'");
    }

    @Test
    void rateLimitWithRetryAfterIsHonouredThenSucceeds() {
        bed.api.on(
                "GET",
                DEVICES,
                Reply.json(429, Fixtures.read("api-error-429.json")).withHeader("Retry-After", "1"),
                Reply.json(200, Fixtures.read("api-devices-list-all.json")));

        List<Device> devices = bed.withApiKey().listDevices();

        assertThat(devices).hasSize(4);
        List<Request> requests = bed.api.requests();
        assertThat(requests).hasSize(2);
        assertThat(gap(requests, 0)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void rateLimitWithoutRetryAfterBacksOffExponentially() {
        bed.api.on(
                "GET",
                DEVICES,
                Reply.json(429, Fixtures.read("api-error-429.json")),
                Reply.json(429, Fixtures.read("api-error-429.json")),
                Reply.json(200, Fixtures.read("api-devices-list-all.json")));

        bed.withApiKey().listDevices();

        List<Request> requests = bed.api.requests();
        assertThat(requests).hasSize(3);
        // Backoff 100 ms then 200 ms, each with ±20 % jitter.
        assertThat(gap(requests, 0)).isGreaterThanOrEqualTo(Duration.ofMillis(75));
        assertThat(gap(requests, 1)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void retryAfterBeyondTheBudgetFailsAtOnceWithTheHint() {
        bed.api.on(
                "GET",
                DEVICES,
                Reply.json(429, Fixtures.read("api-error-429.json")).withHeader("Retry-After", "120"));

        long start = System.nanoTime();
        assertThatThrownBy(() -> bed.withApiKey().listDevices())
                .isInstanceOfSatisfying(TailscaleRateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
                    assertThat(e.type()).isEqualTo(ProblemType.TAILSCALE_RATE_LIMITED);
                })
                .hasMessageContaining("too many requests");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void serverErrorsOnReadsAreRetriedUntilSuccess() {
        bed.api.on(
                "GET",
                DEVICES,
                Reply.json(500, "{\"message\":\"internal\"}"),
                Reply.json(504, "{\"message\":\"request took too long to process, please try again later\"}"),
                Reply.json(200, Fixtures.read("api-devices-list-all.json")));

        assertThat(bed.withApiKey().listDevices()).hasSize(4);
        assertThat(bed.api.requests()).hasSize(3);
    }

    @Test
    void serverErrorsThatOutlastTheBudgetEndAsUnavailable() {
        bed.api.on("GET", DEVICES, Reply.json(502, "{\"message\":\"bad gateway\"}"));
        TailscaleApiClient client = new TailscaleApiClient(
                bed.http,
                new TailscaleCredential.ApiKey(ApiTestBed.API_KEY),
                bed.options().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(700)),
                bed.clock);

        assertThatThrownBy(client::listDevices)
                .isInstanceOfSatisfying(
                        TailscaleApiException.class,
                        e -> assertThat(e.type()).isEqualTo(ProblemType.TAILSCALE_UNAVAILABLE))
                .hasMessageContaining("bad gateway");
        assertThat(bed.api.requests().size()).isBetween(2, 6);
    }

    @Test
    void notFoundIsNotRetried() {
        assertThatThrownBy(() -> bed.withApiKey().device("nGone1CNTRL"))
                .isInstanceOfSatisfying(TailscaleApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND);
                })
                .hasMessageContaining("not found");
        assertThat(bed.api.requests()).hasSize(1);
    }

    @Test
    void serverThatNeverAnswersTimesOutWithinTheBudget() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            ApiClientOptions options = bed.options()
                    .withBaseUrl(URI.create("https://127.0.0.1:" + silent.port() + "/api/v2"))
                    .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(1000));
            TailscaleApiClient client = new TailscaleApiClient(
                    bed.http, new TailscaleCredential.ApiKey(ApiTestBed.API_KEY), options, bed.clock);

            long start = System.nanoTime();
            assertThatThrownBy(client::listDevices)
                    .isInstanceOfSatisfying(
                            TailscaleApiException.class,
                            e -> assertThat(e.type()).isEqualTo(ProblemType.TAILSCALE_UNAVAILABLE))
                    .hasMessageContaining("timed out");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(290)).isLessThan(Duration.ofMillis(1800));
        }
    }

    @Test
    void retryAfterAsHttpDateIsUnderstood() {
        Clock clock = Clock.fixed(Instant.parse("2026-08-20T10:00:00Z"), ZoneOffset.UTC);
        HttpResponse date =
                new HttpResponse(429, Map.of("retry-after", List.of("Thu, 20 Aug 2026 10:00:07 GMT")), new byte[0]);
        HttpResponse seconds = new HttpResponse(429, Map.of("retry-after", List.of("3")), new byte[0]);
        HttpResponse junk = new HttpResponse(429, Map.of("retry-after", List.of("soon")), new byte[0]);

        assertThat(ApiErrors.retryAfter(date, clock)).contains(Duration.ofSeconds(7));
        assertThat(ApiErrors.retryAfter(seconds, clock)).contains(Duration.ofSeconds(3));
        assertThat(ApiErrors.retryAfter(junk, clock)).isEmpty();
    }

    @Test
    void oauthStyleErrorBodiesAreReadToo() {
        HttpResponse oauth = new HttpResponse(
                401, Map.of(), "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}".getBytes());
        HttpResponse text = new HttpResponse(502, Map.of(), "<html>Bad Gateway</html>".getBytes());

        assertThat(ApiErrors.message(oauth)).isEqualTo("invalid_client: bad secret");
        assertThat(ApiErrors.message(text)).isEqualTo("<html>Bad Gateway</html>");
    }
}
