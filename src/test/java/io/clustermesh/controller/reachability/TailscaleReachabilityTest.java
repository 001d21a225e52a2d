package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.tailscale.LocalApiClient;
import io.clustermesh.controller.tailscale.support.ApiTestBed;
import io.clustermesh.controller.tailscale.support.FakeLocalApi;
import io.clustermesh.controller.tailscale.support.FakeTailscaleApi;
import io.clustermesh.controller.tailscale.support.Fixtures;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tailscale mode at the reachability level, against the fake control API (HTTPS) and the fake
 * LocalAPI on a real Unix socket, both serving the contract's fixtures.
 */
class TailscaleReachabilityTest {
    private static final String HOMELAB_MESH_IP = "100.101.7.13";
    private static final String OLD_NODE_IP = "100.77.41.9";

    private ApiTestBed bed;
    private FakeLocalApi tailscaled;
    private Path dir;
    private TailscaleProbe probe;

    @BeforeEach
    void start() throws Exception {
        bed = new ApiTestBed();
        dir = Files.createTempDirectory("ts-reach-");
        tailscaled = new FakeLocalApi(dir.resolve("tailscaled.sock"));
        bed.api.on(
                "GET",
                "/tailnet/-/devices",
                FakeTailscaleApi.Reply.json(200, Fixtures.read("api-devices-list-all.json")));
        probe = new TailscaleProbe(
                bed.withApiKey(),
                new LocalApiClient(bed.http, tailscaled.socket(), Duration.ofSeconds(2)),
                bed.clock,
                3);
    }

    @AfterEach
    void stop() throws Exception {
        tailscaled.close();
        bed.close();
        Files.deleteIfExists(dir);
    }

    @Test
    void anOnlineDeviceWithADirectPongIsDirectAndItsHardNatIsNoted() {
        tailscaled.on("POST", "/localapi/v0/ping", FakeLocalApi.Reply.json(Fixtures.read("localapi-ping-direct.json")));

        TailscaleProbe.Verdict verdict = probe.check(HOMELAB_MESH_IP);

        assertThat(verdict.path()).isEqualTo("direct");
        assertThat(verdict.failure()).isNull();
        assertThat(check(verdict, "tailscale-device").detail())
                .contains("online")
                .contains("hard NAT");
        assertThat(check(verdict, "tailscale-path").latencyMs()).isEqualTo(21.37);
    }

    @Test
    void pongsOnlyThroughDerpGiveDerpRegionAndTheEntrySaysRelayed() {
        tailscaled.on("POST", "/localapi/v0/ping", FakeLocalApi.Reply.json(Fixtures.read("localapi-ping-derp.json")));

        TailscaleProbe.Verdict verdict = probe.check(HOMELAB_MESH_IP);
        ReachabilityEntry entry = ReachabilityService.entry(
                "cloud",
                target(),
                new Measured(
                        new ProbeOutcome(ProbeVerdict.OK, 48.7, null, verdict.checks()),
                        "service",
                        verdict.path(),
                        false),
                Instant.parse("2026-08-20T10:00:00Z"));

        assertThat(verdict.path()).isEqualTo("derp:fra");
        assertThat(tailscaled.requests()).hasSize(3);
        assertThat(entry.result()).isEqualTo(ProbeVerdict.OK);
        assertThat(entry.path()).isEqualTo("derp:fra");
        assertThat(entry.reason()).startsWith("relayed through DERP fra");
        assertThat(entry.hint()).contains("UDP 41641");
    }

    @Test
    void anOfflineDeviceExplainsAFailedProbeWithItsLastSeen() {
        tailscaled.on(
                "POST", "/localapi/v0/ping", FakeLocalApi.Reply.json(Fixtures.read("localapi-ping-no-peer.json")));

        TailscaleProbe.Verdict verdict = probe.check(OLD_NODE_IP);
        ReachabilityEntry entry = ReachabilityService.entry(
                "cloud",
                target(),
                new Measured(
                        new ProbeOutcome(verdict.failure(), null, verdict.detail(), verdict.checks()),
                        "service",
                        null,
                        false),
                Instant.now());

        assertThat(verdict.failure()).isEqualTo(ProbeVerdict.DEVICE_OFFLINE);
        assertThat(verdict.detail()).contains("last seen 2026-07-02T21:47:13Z");
        assertThat(entry.reason()).startsWith("device offline");
        assertThat(entry.hint()).contains("proxy Pod");
    }

    @Test
    void anExpiredNodeKeyIsTheReason() {
        bed.clock.advance(Duration.ofDays(200));
        tailscaled.on(
                "POST", "/localapi/v0/ping", FakeLocalApi.Reply.json(Fixtures.read("localapi-ping-no-peer.json")));

        TailscaleProbe.Verdict verdict = probe.check(OLD_NODE_IP);

        assertThat(verdict.failure()).isEqualTo(ProbeVerdict.KEY_EXPIRED);
        assertThat(verdict.detail()).contains("2026-12-29T21:40:02Z");
    }

    @Test
    void aRejectedKeyIsReportedOnTheDeviceCheckWithoutTheKeyAndThePathIsStillProbed() {
        bed.api.on(
                "GET", "/tailnet/-/devices", FakeTailscaleApi.Reply.json(401, "{\"message\":\"API token invalid\"}"));
        tailscaled.on("POST", "/localapi/v0/ping", FakeLocalApi.Reply.json(Fixtures.read("localapi-ping-direct.json")));

        TailscaleProbe.Verdict verdict = probe.check(HOMELAB_MESH_IP);

        assertThat(check(verdict, "tailscale-device").result()).isEqualTo("failed");
        assertThat(check(verdict, "tailscale-device").detail())
                .contains("Tailscale API")
                .doesNotContain(ApiTestBed.API_KEY);
        assertThat(verdict.path()).isEqualTo("direct");
    }

    @Test
    void theTailnetAddressComesFromTheServiceStatusOrTheDeviceOfTheAnnotatedService() {
        Service loadBalancer = new ServiceBuilder()
                .withNewMetadata()
                .withName("clustermesh-apiserver")
                .withNamespace("kube-system")
                .endMetadata()
                .withNewSpec()
                .withType("LoadBalancer")
                .withLoadBalancerClass("tailscale")
                .endSpec()
                .withNewStatus()
                .withNewLoadBalancer()
                .addNewIngress()
                .withHostname("homelab-clustermesh.tail4e2a9.ts.net")
                .endIngress()
                .addNewIngress()
                .withIp(HOMELAB_MESH_IP)
                .endIngress()
                .endLoadBalancer()
                .endStatus()
                .build();
        Service annotated = new ServiceBuilder()
                .withNewMetadata()
                .withName("clustermesh-apiserver")
                .withNamespace("kube-system")
                .withAnnotations(
                        Map.of("tailscale.com/expose", "true", "tailscale.com/hostname", "homelab-clustermesh"))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .endSpec()
                .build();
        Service notExposed = new ServiceBuilder()
                .withNewMetadata()
                .withName("clustermesh-apiserver")
                .withNamespace("kube-system")
                .endMetadata()
                .withNewSpec()
                .withType("NodePort")
                .endSpec()
                .build();

        assertThat(probe.tailnetAddress(loadBalancer)).contains(HOMELAB_MESH_IP);
        assertThat(probe.tailnetAddress(annotated)).contains(HOMELAB_MESH_IP);
        assertThat(probe.tailnetAddress(notExposed)).isEmpty();
    }

    @Test
    void withoutCredentialOrSocketBothChecksSaySkipped() {
        TailscaleProbe.Verdict verdict = new TailscaleProbe(null, null, bed.clock, 3).check(HOMELAB_MESH_IP);

        assertThat(verdict.checks()).extracting(ReachabilityEntry.Check::result).containsExactly("skipped", "skipped");
        assertThat(verdict.path()).isNull();
    }

    private static ReachabilityEntry.Check check(TailscaleProbe.Verdict verdict, String name) {
        return verdict.checks().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
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
}
