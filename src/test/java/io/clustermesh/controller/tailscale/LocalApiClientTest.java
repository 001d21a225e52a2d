package io.clustermesh.controller.tailscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.tailscale.support.FakeLocalApi;
import io.clustermesh.controller.tailscale.support.FakeLocalApi.Reply;
import io.clustermesh.controller.tailscale.support.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalApiClientTest {
    private static NettyHttpClient http;

    @TempDir
    Path dir;

    private FakeLocalApi tailscaled;
    private LocalApiClient client;

    @BeforeAll
    static void startClient() {
        http = new NettyHttpClient(HttpsTrust.systemDefault());
    }

    @AfterAll
    static void stopClient() {
        http.close();
    }

    @BeforeEach
    void startFake() throws Exception {
        tailscaled = new FakeLocalApi(dir.resolve("tailscaled.sock"));
        client = new LocalApiClient(http, tailscaled.socket(), Duration.ofSeconds(2));
    }

    @AfterEach
    void stopFake() throws Exception {
        tailscaled.close();
    }

    @Test
    void statusListsSelfAndPeersWithTheirPaths() {
        tailscaled.on("GET", "/localapi/v0/status", Reply.json(Fixtures.read("localapi-status.json")));

        LocalStatus status = client.status();

        assertThat(status.running()).isTrue();
        assertThat(status.self().hostName()).isEqualTo("cloud-subnet");
        assertThat(status.self().primaryRoutes()).containsExactly("10.100.0.0/16", "10.101.0.0/16");
        assertThat(status.peers()).hasSize(3);
        PeerStatus clustermesh = status.peer("homelab-clustermesh").orElseThrow();
        assertThat(clustermesh.path()).isEqualTo(new PeerPath.Direct("198.51.100.23:52871"));
        assertThat(clustermesh.lastHandshake()).isEqualTo(Instant.parse("2026-08-20T10:13:31.902115Z"));
        assertThat(clustermesh.lastSeen()).as("zero time means never").isNull();
        assertThat(clustermesh.keyExpiry()).isNull();
        assertThat(clustermesh.fqdn()).isEqualTo("homelab-clustermesh.tail4e2a9.ts.net");
        PeerStatus subnet = status.peer("100.101.7.12").orElseThrow();
        assertThat(subnet.path()).isEqualTo(new PeerPath.Derp("fra", 0));
        assertThat(subnet.online()).isTrue();
    }

    @Test
    void offlinePeerHasNoPathButALastSeenAndKeyExpiry() {
        tailscaled.on("GET", "/localapi/v0/status", Reply.json(Fixtures.read("localapi-status.json")));

        PeerStatus old =
                client.status().peer("old-homelab-node.tail4e2a9.ts.net.").orElseThrow();

        assertThat(old.online()).isFalse();
        assertThat(old.path()).isInstanceOf(PeerPath.Unknown.class);
        assertThat(old.lastSeen()).isEqualTo(Instant.parse("2026-07-02T21:47:13Z"));
        assertThat(old.keyExpiry()).isEqualTo(Instant.parse("2026-12-29T21:40:02Z"));
        assertThat(old.lastHandshake()).isNull();
    }

    @Test
    void selfStatusAsksWithoutPeersAndToleratesANullPeerMap() {
        tailscaled.on("GET", "/localapi/v0/status", Reply.json("""
                {"BackendState":"NeedsLogin","TailscaleIPs":null,"Self":{"HostName":"cloud-subnet","Online":false},
                 "Peer":null,"Health":["not logged in"],"NewFieldFromTheFuture":{"x":1}}"""));

        LocalStatus status = client.selfStatus();

        assertThat(tailscaled.requests().get(0).target()).isEqualTo("/localapi/v0/status?peers=false");
        assertThat(status.running()).isFalse();
        assertThat(status.peers()).isEmpty();
        assertThat(status.health()).containsExactly("not logged in");
        assertThat(status.self().hostName()).isEqualTo("cloud-subnet");
    }

    @Test
    void requestsCarryTheHostHeaderTailscaledAccepts() {
        tailscaled.on("GET", "/localapi/v0/status", Reply.json(Fixtures.read("localapi-status.json")));

        client.status();

        FakeLocalApi.Request request = tailscaled.requests().get(0);
        assertThat(request.headers())
                .containsEntry("host", "local-tailscaled.sock")
                .doesNotContainKeys("origin", "referer");
    }

    @Test
    void discoPingOverDirectUdpReportsTheEndpoint() {
        tailscaled.on("POST", "/localapi/v0/ping", Reply.json(Fixtures.read("localapi-ping-direct.json")));

        PingResult pong = client.ping("100.101.7.13", PingType.DISCO);

        assertThat(pong.succeeded()).isTrue();
        assertThat(pong.path()).isEqualTo(new PeerPath.Direct("198.51.100.23:52871"));
        assertThat(pong.latency()).isEqualTo(Duration.ofNanos(21_374_000));
        FakeLocalApi.Request request = tailscaled.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/localapi/v0/ping?ip=100.101.7.13&type=disco");
    }

    @Test
    void discoPingViaDerpReportsTheRegion() {
        tailscaled.on("POST", "/localapi/v0/ping", Reply.json(Fixtures.read("localapi-ping-derp.json")));

        PingResult pong = client.ping("100.101.7.12", PingType.DISCO);

        assertThat(pong.path()).isEqualTo(new PeerPath.Derp("fra", 4));
        assertThat(pong.nodeName()).isEqualTo("homelab-subnet");
    }

    @Test
    void pingToAnUnknownIpIsAFailedResultNotAnException() {
        tailscaled.on("POST", "/localapi/v0/ping", Reply.json(Fixtures.read("localapi-ping-no-peer.json")));

        PingResult pong = client.ping("100.64.99.99", PingType.TSMP);

        assertThat(pong.succeeded()).isFalse();
        assertThat(pong.error()).isEqualTo("no matching peer");
        assertThat(pong.path()).isEqualTo(new PeerPath.Unknown("no matching peer"));
        assertThat(tailscaled.requests().get(0).target()).endsWith("&type=TSMP");
    }

    @Test
    void probeKeepsPingingUntilTheFirstDirectPong() {
        tailscaled.on(
                "POST",
                "/localapi/v0/ping",
                Reply.json(Fixtures.read("localapi-ping-derp.json")),
                Reply.json(Fixtures.read("localapi-ping-direct.json")));

        PingResult pong = client.probePath("100.101.7.13", 5, Duration.ofMillis(10));

        assertThat(pong.path()).isInstanceOf(PeerPath.Direct.class);
        assertThat(tailscaled.requests()).hasSize(2);
    }

    @Test
    void jsonErrorBodyOf500BecomesTheExceptionMessage() {
        tailscaled.on(
                "GET",
                "/localapi/v0/status",
                new Reply(500, "application/json", Fixtures.read("localapi-error-500.json"), false));

        assertThatThrownBy(() -> client.status())
                .isInstanceOfSatisfying(LocalApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.type()).isEqualTo(ProblemType.TAILSCALE_UNAVAILABLE);
                })
                .hasMessageContaining("context deadline exceeded");
    }

    @Test
    void plainTextErrorIsUsedAsIs() {
        tailscaled.on("POST", "/localapi/v0/ping", new Reply(400, "text/plain", "missing 'ip' parameter\n", false));

        assertThatThrownBy(() -> client.ping("100.101.7.12", PingType.DISCO))
                .isInstanceOf(LocalApiException.class)
                .hasMessageContaining("(400: missing 'ip' parameter)");
    }

    @Test
    void pingThatNeverGetsAPongTimesOutAtTheClientDeadline() {
        tailscaled.on("POST", "/localapi/v0/ping", Reply.hangs());

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.ping("100.101.7.12", PingType.DISCO, Duration.ofMillis(300)))
                .isInstanceOf(LocalApiException.class)
                .hasMessageContaining("did not answer within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void missingSocketSaysWhereItLooked() {
        LocalApiClient nowhere = new LocalApiClient(http, dir.resolve("absent.sock"), Duration.ofSeconds(1));

        assertThatThrownBy(nowhere::status)
                .isInstanceOf(LocalApiException.class)
                .hasMessageContaining("absent.sock");
    }

    @Test
    void hostNamesAreRefusedBeforeReachingTailscaled() {
        assertThatThrownBy(() -> client.ping("homelab-subnet", PingType.DISCO))
                .hasMessageContaining("not an IP address");
        assertThat(tailscaled.requests()).isEmpty();
    }
}
