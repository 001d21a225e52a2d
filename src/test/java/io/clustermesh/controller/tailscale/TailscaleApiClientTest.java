package io.clustermesh.controller.tailscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.tailscale.support.ApiTestBed;
import io.clustermesh.controller.tailscale.support.FakeTailscaleApi.Reply;
import io.clustermesh.controller.tailscale.support.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TailscaleApiClientTest {
    private ApiTestBed bed;

    @BeforeEach
    void start() throws Exception {
        bed = new ApiTestBed();
        bed.api.on("GET", "/tailnet/-/devices", Reply.json(200, Fixtures.read("api-devices-list-all.json")));
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    private Device device(List<Device> devices, String hostname) {
        return devices.stream()
                .filter(d -> d.hostname().equals(hostname))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void listsDevicesWithAllFieldsUsingTheBearerKey() {
        List<Device> devices = bed.withApiKey().listDevices();

        assertThat(devices)
                .extracting(Device::hostname)
                .containsExactly("homelab-subnet", "homelab-clustermesh", "cloud-subnet", "old-homelab-node");
        var request = bed.api.requests().get(0);
        assertThat(request.query()).isEqualTo("fields=all");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + ApiTestBed.API_KEY);
    }

    @Test
    void connectedDeviceIsOnlineWithoutLastSeenAndNeverExpires() {
        Device subnet = device(bed.withApiKey().listDevices(), "homelab-subnet");

        assertThat(subnet.online()).isTrue();
        assertThat(subnet.lastSeen()).isNull();
        assertThat(subnet.expires()).as("0001-01-01 sentinel").isNull();
        assertThat(subnet.keyExpiresWithin(Duration.ofDays(7), bed.clock)).isFalse();
        assertThat(subnet.nodeId()).isEqualTo("nHmLb7ub11CNTRL");
        assertThat(subnet.addresses()).contains("100.101.7.12");
        assertThat(subnet.tags()).containsExactly("tag:k8s");
    }

    @Test
    void disconnectedDeviceIsOfflineWithLastSeenAndAKeyExpiry() {
        Device old = device(bed.withApiKey().listDevices(), "old-homelab-node");

        assertThat(old.online()).isFalse();
        assertThat(old.lastSeen()).isEqualTo(Instant.parse("2026-07-02T21:47:13Z"));
        assertThat(old.expires()).isEqualTo(Instant.parse("2026-12-29T21:40:02Z"));
        assertThat(old.tags()).isEmpty();
        Clock dayBefore = Clock.fixed(Instant.parse("2026-12-28T21:40:02Z"), ZoneOffset.UTC);
        assertThat(old.keyExpiresWithin(Duration.ofDays(7), dayBefore)).isTrue();
        assertThat(old.keyExpiresWithin(Duration.ofDays(7), bed.clock)).isFalse();
    }

    @Test
    void homelabBehindEndpointDependentNatIsHardNat() {
        List<Device> devices = bed.withApiKey().listDevices();
        Device homelab = device(devices, "homelab-clustermesh");
        Device cloud = device(devices, "cloud-subnet");

        assertThat(homelab.hardNat()).isTrue();
        assertThat(cloud.hardNat()).isFalse();
        assertThat(homelab.preferredDerpRegion()).contains("Frankfurt");
        assertThat(homelab.clientConnectivity().clientSupports().udpBlocked()).isFalse();
        assertThat(homelab.clientConnectivity().clientSupports().portMappingAvailable())
                .isFalse();
        assertThat(homelab.clientConnectivity().clientSupports().hairPinning()).isNull();
        assertThat(cloud.clientConnectivity().endpoints()).contains("203.0.113.10:41641");
        assertThat(cloud.clientConnectivity().latency().get("Paris").latencyMs())
                .isEqualTo(10.4);
    }

    @Test
    void unknownNatMappingIsNotCalledHard() {
        bed.api.on("GET", "/device/nX1CNTRL", Reply.json(200, """
                {"id":"1","nodeId":"nX1CNTRL","hostname":"x","connectedToControl":true,
                 "clientConnectivity":{"endpoints":[],"mappingVariesByDestIP":null,"latency":{}}}"""));

        Device d = bed.withApiKey().device("nX1CNTRL");

        assertThat(d.clientConnectivity().mappingVariesByDestIP()).isNull();
        assertThat(d.hardNat()).isFalse();
        assertThat(d.preferredDerpRegion()).isEmpty();
    }

    @Test
    void deviceWithoutConnectivityDataHasNoHardNatAndNoRoutes() {
        bed.api.on("GET", "/device/7364150219864521", Reply.json(200, """
                {"id":"7364150219864521","nodeId":"nHmLb7ub11CNTRL","hostname":"homelab-subnet",
                 "connectedToControl":false,"lastSeen":"2026-08-20T09:00:00Z","expires":"0001-01-01T00:00:00Z"}"""));

        Device d = bed.withApiKey().device("7364150219864521");

        assertThat(d.clientConnectivity()).isNull();
        assertThat(d.hardNat()).isFalse();
        assertThat(d.enabledRoutes()).isEmpty();
        assertThat(d.online()).isFalse();
    }

    @Test
    void readsAdvertisedAndEnabledRoutes() {
        bed.api.on("GET", "/device/nHmLb7ub11CNTRL/routes", Reply.json(200, Fixtures.read("api-device-routes.json")));

        DeviceRoutes routes = bed.withApiKey().deviceRoutes("nHmLb7ub11CNTRL");

        assertThat(routes.isActive("10.42.0.0/16")).isTrue();
        assertThat(routes.isActive("10.43.0.0/16")).as("advertised only").isFalse();
    }

    @Test
    void enablingRoutesSendsTheFullDesiredSet() throws Exception {
        bed.api.on("POST", "/device/nHmLb7ub11CNTRL/routes", Reply.json(200, """
                {"advertisedRoutes":["10.42.0.0/16","10.43.0.0/16"],"enabledRoutes":["10.42.0.0/16","10.43.0.0/16"]}"""));

        DeviceRoutes routes =
                bed.withApiKey().setEnabledRoutes("nHmLb7ub11CNTRL", List.of("10.42.0.0/16", "10.43.0.0/16"));

        assertThat(routes.isActive("10.43.0.0/16")).isTrue();
        var request = bed.api.requests("POST", "/device/nHmLb7ub11CNTRL/routes").get(0);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(Json.MAPPER.readTree(request.body()))
                .isEqualTo(Json.MAPPER.readTree(Fixtures.read("api-device-routes-set-request.json")));
    }
}
