package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.tailscale.ApiClientOptions;
import io.clustermesh.controller.tailscale.LocalApiClient;
import io.clustermesh.controller.tailscale.TailscaleApiClient;
import io.clustermesh.controller.tailscale.TailscaleCredential;
import io.clustermesh.controller.tailscale.support.ApiTestBed;
import io.clustermesh.controller.tailscale.support.FakeLocalApi;
import io.clustermesh.controller.tailscale.support.FakeTailscaleApi;
import io.clustermesh.controller.tailscale.support.Fixtures;
import io.clustermesh.controller.tailscale.support.SilentServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault matrix, Tailscale rows: a reachability probe in Tailscale mode whose control API answers
 * 429 (with Retry-After, within and beyond the budget), 500 until the budget is spent, or nothing
 * at all. The pair's entry must name the Tailscale API failure precisely, the client must stay
 * within its retry budget (attempts counted, Retry-After waited), only reads reach the tailnet
 * (nothing written), no credential leaks, and the LocalAPI path is still probed.
 */
class TailscaleApiFaultMatrixTest {
    private static final String DEVICES = "/tailnet/-/devices";
    private static final String HOMELAB_MESH_IP = "100.101.7.13";
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(2000);
    private static final Duration BUDGET = Duration.ofMillis(5000);

    /** One way the API misbehaves, the words the entry must carry, and the attempts the budget allows. */
    record Fault(
            List<FakeTailscaleApi.Reply> replies,
            boolean silent,
            List<String> reason,
            int minAttempts,
            int maxAttempts,
            Duration minGap) {}

    private ApiTestBed bed;
    private FakeLocalApi tailscaled;
    private Path dir;
    private SilentServer silent;

    @BeforeEach
    void start() throws Exception {
        bed = new ApiTestBed();
        dir = Files.createTempDirectory("ts-faults-");
        tailscaled = new FakeLocalApi(dir.resolve("tailscaled.sock"));
        tailscaled.on("POST", "/localapi/v0/ping", FakeLocalApi.Reply.json(Fixtures.read("localapi-ping-direct.json")));
    }

    @AfterEach
    void stop() throws Exception {
        if (silent != null) {
            silent.close();
        }
        tailscaled.close();
        bed.close();
        Files.deleteIfExists(dir);
    }

    static Stream<Arguments> faults() {
        String tooMany = Fixtures.read("api-error-429.json");
        return Stream.of(
                row(
                        "429 with Retry-After 1 s, every time",
                        new Fault(
                                List.of(FakeTailscaleApi.Reply.json(429, tooMany)
                                        .withHeader("Retry-After", "1")),
                                false,
                                List.of("is rate limited (429: too many requests)", "retry after 1 s"),
                                2,
                                6,
                                Duration.ofMillis(950))),
                row(
                        "429 with Retry-After beyond the budget",
                        new Fault(
                                List.of(FakeTailscaleApi.Reply.json(429, tooMany)
                                        .withHeader("Retry-After", "120")),
                                false,
                                List.of("is rate limited (429: too many requests)", "retry after 120 s"),
                                1,
                                1,
                                null)),
                row(
                        "500 until the budget is spent",
                        new Fault(
                                List.of(FakeTailscaleApi.Reply.json(500, "{\"message\":\"internal error\"}")),
                                false,
                                List.of("did not succeed within 5000 ms", "500: internal error"),
                                2,
                                8,
                                null)),
                row(
                        "API that accepts but never answers",
                        new Fault(
                                List.of(), true, List.of("did not succeed within 5000 ms", "timed out"), 2, 8, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void theProbeNamesTheTailscaleApiFailureStaysInItsBudgetAndWritesNothing(Fault fault) throws Exception {
        ApiClientOptions options = bed.options().withTimeouts(REQUEST_TIMEOUT, BUDGET);
        if (fault.silent()) {
            silent = new SilentServer();
            options = options.withBaseUrl(URI.create("https://127.0.0.1:" + silent.port() + "/api/v2"));
        } else {
            List<FakeTailscaleApi.Reply> replies = new java.util.ArrayList<>();
            replies.add(FakeTailscaleApi.Reply.json(200, Fixtures.read("api-devices-list-all.json")));
            replies.addAll(fault.replies());
            bed.api.on("GET", DEVICES, replies.toArray(FakeTailscaleApi.Reply[]::new));
        }
        TailscaleApiClient api = new TailscaleApiClient(
                bed.http, new TailscaleCredential.ApiKey(ApiTestBed.API_KEY), options, bed.clock);
        if (!fault.silent()) {
            // A cold TLS client on a busy machine can spend a whole attempt's deadline on its first handshake.
            assertThat(api.listDevices()).isNotEmpty();
        }
        TailscaleProbe probe = new TailscaleProbe(
                api, new LocalApiClient(bed.http, tailscaled.socket(), Duration.ofSeconds(2)), bed.clock, 1);

        TailscaleProbe.Verdict verdict = probe.check(HOMELAB_MESH_IP);
        ReachabilityEntry entry = ReachabilityService.entry(
                "cloud",
                target(),
                new Measured(
                        new ProbeOutcome(ProbeVerdict.OK, 21.4, null, verdict.checks()),
                        "service",
                        verdict.path(),
                        false),
                Instant.now());

        ReachabilityEntry.Check device = entry.checks().stream()
                .filter(c -> c.name().equals("tailscale-device"))
                .findFirst()
                .orElseThrow();
        assertThat(device.result()).isEqualTo("failed");
        assertThat(device.detail())
                .startsWith("Tailscale API: Tailscale API GET")
                .contains(fault.reason())
                .doesNotContain(ApiTestBed.API_KEY);
        assertThat(verdict.path()).as("the LocalAPI path is still probed").isEqualTo("direct");

        int attempts =
                fault.silent() ? silent.connections() : bed.api.requests().size() - 1;
        assertThat(attempts).as("attempts within the retry budget").isBetween(fault.minAttempts(), fault.maxAttempts());
        assertThat(bed.api.requests())
                .as("only reads reach the tailnet")
                .allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
        if (fault.minGap() != null) {
            var requests = bed.api.requests().subList(1, bed.api.requests().size());
            for (int i = 1; i < requests.size(); i++) {
                assertThat(Duration.ofNanos(requests.get(i).arrivedNanos()
                                - requests.get(i - 1).arrivedNanos()))
                        .as("Retry-After honoured before attempt %d", i + 1)
                        .isGreaterThanOrEqualTo(fault.minGap());
            }
        }
    }

    private static ProbeTarget target() {
        return new ProbeTarget(
                "homelab",
                ReachabilityMode.TAILSCALE,
                new HostPort(HOMELAB_MESH_IP, 2379),
                "homelab.mesh.cilium.io",
                "homelab",
                1,
                "ca",
                "crt",
                "key",
                false,
                Optional.empty(),
                null);
    }

    private static Arguments row(String name, Fault fault) {
        return Arguments.of(Named.of(name, fault));
    }
}
