package io.clustermesh.controller.tailscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.tailscale.support.ApiTestBed;
import io.clustermesh.controller.tailscale.support.FakeTailscaleApi.Reply;
import io.clustermesh.controller.tailscale.support.Fixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which remote node addresses the tailnet carries, from API v2 devices and routes (tailscale.md §3-§4). */
class RouteCoverageTest {
    private static final RouteCoverage.Target CLOUD_1 = new RouteCoverage.Target("cloud-node-1", "172.31.2.11");

    static Device device(
            String nodeId,
            String hostname,
            boolean online,
            List<String> addresses,
            List<String> advertised,
            List<String> enabled) {
        return new Device(
                "1",
                nodeId,
                hostname + ".tail4e2a9.ts.net",
                hostname,
                addresses,
                List.of("tag:k8s"),
                "linux",
                "1.86.2",
                online,
                null,
                null,
                true,
                true,
                advertised,
                enabled,
                null);
    }

    @Test
    void anApprovedRouteOfAnOnlineRouterCarriesTheNode() {
        var coverage = RouteCoverage.of(
                List.of(device(
                        "nR1",
                        "cloud-subnet",
                        true,
                        List.of("100.101.7.20"),
                        List.of("172.31.2.0/24"),
                        List.of("172.31.2.0/24"))),
                List.of(CLOUD_1));
        assertThat(coverage.nodes())
                .containsExactly(new RouteCoverage.NodePath(
                        "cloud-node-1", "172.31.2.11", "subnet-route", "cloud-subnet", "172.31.2.0/24", null));
        assertThat(coverage.approve()).isEmpty();
    }

    @Test
    void anAdvertisedRouteNotYetApprovedIsOfferedWithTheFullSetToSend() {
        var coverage = RouteCoverage.of(
                List.of(device(
                        "nR1",
                        "cloud-subnet",
                        true,
                        List.of("100.101.7.20"),
                        List.of("10.2.0.0/16", "172.31.2.0/24"),
                        List.of("10.2.0.0/16"))),
                List.of(CLOUD_1, new RouteCoverage.Target("cloud-node-2", "172.31.2.12")));
        assertThat(coverage.uncovered())
                .extracting(RouteCoverage.NodePath::problem)
                .containsOnly("route 172.31.2.0/24 advertised by cloud-subnet is not approved");
        // POST /device/{id}/routes replaces the enabled set: the offer keeps what is enabled already.
        assertThat(coverage.approve())
                .containsExactly(new RouteCoverage.RouteToApprove(
                        "nR1", "cloud-subnet", List.of("172.31.2.0/24"), List.of("10.2.0.0/16", "172.31.2.0/24")));
    }

    @Test
    void aRouteEnabledButNotAdvertisedCarriesNothing() {
        var coverage = RouteCoverage.of(
                List.of(device(
                        "nR1", "cloud-subnet", true, List.of("100.101.7.20"), List.of(), List.of("172.31.2.0/24"))),
                List.of(CLOUD_1));
        assertThat(coverage.nodes().get(0).path()).isEqualTo("none");
        assertThat(coverage.nodes().get(0).problem()).isEqualTo("no device advertises a route to it");
    }

    @Test
    void anOfflineRouterCarriesNothing() {
        var coverage = RouteCoverage.of(
                List.of(device(
                        "nR1",
                        "cloud-subnet",
                        false,
                        List.of("100.101.7.20"),
                        List.of("172.31.2.0/24"),
                        List.of("172.31.2.0/24"))),
                List.of(CLOUD_1));
        assertThat(coverage.nodes().get(0).path()).isEqualTo("none");
        assertThat(coverage.nodes().get(0).problem())
                .isEqualTo("subnet router cloud-subnet for 172.31.2.0/24 is offline");
    }

    @Test
    void tailnetNodeAddressesArePathsWhileTheirDeviceIsOnline() {
        var online = device("nN1", "cloud-node-1", true, List.of("100.101.7.31"), List.of(), List.of());
        var offline = device("nN2", "cloud-node-2", false, List.of("100.101.7.32"), List.of(), List.of());
        var coverage = RouteCoverage.of(
                List.of(online, offline),
                List.of(
                        new RouteCoverage.Target("cloud-node-1", "100.101.7.31"),
                        new RouteCoverage.Target("cloud-node-2", "100.101.7.32"),
                        new RouteCoverage.Target("cloud-node-3", "100.101.7.33"),
                        new RouteCoverage.Target("cloud-node-4", "203.0.113.44")));
        assertThat(coverage.nodes())
                .extracting(RouteCoverage.NodePath::path)
                .containsExactly("tailnet", "none", "none", "public");
        assertThat(coverage.nodes())
                .extracting(RouteCoverage.NodePath::problem)
                .containsExactly(
                        null, "device cloud-node-2 is offline", "no device of the tailnet has this address", null);
    }

    @Test
    void theFakeControlApisDevicesAreReadOnceAMinute() throws Exception {
        try (ApiTestBed bed = new ApiTestBed()) {
            bed.api.on("GET", "/tailnet/-/devices", Reply.json(200, Fixtures.read("api-devices-list-all.json")));
            TailnetDevices devices = new TailnetDevices(bed.withApiKey(), bed.clock);
            // homelab-subnet advertises 10.42.0.0/16 and 10.43.0.0/16; only the first is enabled.
            var coverage = devices.coverage(List.of(
                            new RouteCoverage.Target("a", "10.42.0.5"), new RouteCoverage.Target("b", "10.43.0.7")))
                    .orElseThrow();
            assertThat(coverage.nodes())
                    .extracting(RouteCoverage.NodePath::path)
                    .containsExactly("subnet-route", "none");
            assertThat(coverage.approve()).singleElement().satisfies(r -> {
                assertThat(r.deviceId()).isEqualTo("nHmLb7ub11CNTRL");
                assertThat(r.routes()).containsExactly("10.42.0.0/16", "10.43.0.0/16");
            });
            // A slow first TLS handshake may have been retried: count from here.
            int read = bed.api.requests("GET", "/tailnet/-/devices").size();
            bed.clock.advance(Duration.ofSeconds(59));
            devices.devices();
            assertThat(bed.api.requests("GET", "/tailnet/-/devices")).hasSize(read);
            bed.clock.advance(Duration.ofSeconds(2));
            devices.devices();
            assertThat(bed.api.requests("GET", "/tailnet/-/devices")).hasSize(read + 1);
            assertThat(bed.api.requests().get(0).query()).isEqualTo("fields=all");
        }
    }

    @Test
    void withoutACredentialThereAreNoTailnetFacts() {
        assertThat(TailnetDevices.none(java.time.Clock.systemUTC()).coverage(List.of(CLOUD_1)))
                .isEmpty();
    }
}
