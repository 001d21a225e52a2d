package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointChecksTest {
    /** DNS as the test declares it: no lookups leave the machine. */
    private static final Map<String, String> DNS = Map.of(
            "home.example.net", "198.51.100.7",
            "lan.example.net", "192.168.1.20",
            "cgnat.example.net", "100.72.1.9");

    private final EndpointChecks checks = new EndpointChecks(host -> {
        String ip = DNS.get(host);
        if (ip == null && !host.matches("[0-9.]+")) {
            throw new UnknownHostException(host);
        }
        return InetAddress.getByName(ip == null ? host : ip);
    });

    @ParameterizedTest
    @ValueSource(
            strings = {
                "home.example.net",
                "https://home.example.net:32379",
                "home.example.net:",
                ":32379",
                "home.example.net:http",
                "home.example.net:70000",
                "fe80::1:32379",
                "home example:1"
            })
    void anEndpointThatIsNotHostPortIsABadRequestNamingTheField(String endpoint) {
        assertThatThrownBy(() -> HostPort.parse(endpoint, "endpoints.homelab"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.field()).isEqualTo("endpoints.homelab");
                    assertThat(e.type().httpStatus()).isEqualTo(400);
                });
    }

    @Test
    void hostPortAcceptsNamesIpv4AndBracketedIpv6() {
        assertThat(HostPort.parse("home.example.net:32379", "f")).isEqualTo(new HostPort("home.example.net", 32379));
        assertThat(HostPort.parse("[2001:db8::1]:2379", "f").host()).isEqualTo("2001:db8::1");
        assertThat(HostPort.parse("[2001:db8::1]:2379", "f")).hasToString("[2001:db8::1]:2379");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "lan.example.net:32379, private-address, private (RFC 1918)",
        "10.0.0.5:32379, private-address, private (RFC 1918)",
        "cgnat.example.net:32379, private-address, carrier-grade NAT space (100.64.0.0/10)",
        "100.127.255.1:32379, private-address, carrier-grade NAT",
        "127.0.0.1:32379, private-address, loopback",
        "gone.example.net:32379, unresolved, does not resolve",
        "not-an-endpoint, invalid-endpoint, not host:port"
    })
    void aDeclaredPublicEndpointThatCannotBePublicIsReported(String endpoint, String code, String says) {
        List<EndpointFinding> findings = checks.checkOne(declared("homelab", endpoint, null));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(code);
            assertThat(f.severity()).isEqualTo("error");
            assertThat(f.message()).contains(says);
            assertThat(f.hint()).isNotBlank();
        });
    }

    @Test
    void cgnatHintsThatAForwardCannotWorkAtAll() {
        assertThat(checks.checkOne(declared("homelab", "100.72.1.9:32379", null))
                        .get(0)
                        .hint())
                .contains("Tailscale");
    }

    @Test
    void aNameNoLongerResolvingToTheRoutersCurrentAddressIsReported() {
        List<EndpointFinding> findings = checks.checkOne(new EndpointChecks.Declared(
                "homelab", ReachabilityMode.PORT_FORWARD, "home.example.net:32379", 32379, "198.51.100.99"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("address-changed");
            assertThat(f.message()).contains("198.51.100.7").contains("198.51.100.99");
        });
        assertThat(checks.checkOne(new EndpointChecks.Declared(
                        "homelab", ReachabilityMode.PORT_FORWARD, "home.example.net:32379", 32379, "198.51.100.7")))
                .isEmpty();
    }

    @Test
    void aPortForwardWithoutEndpointIsReportedButDirectNeedsNone() {
        assertThat(checks.checkOne(
                        new EndpointChecks.Declared("homelab", ReachabilityMode.PORT_FORWARD, null, null, null)))
                .extracting(EndpointFinding::code)
                .containsExactly("endpoint-missing");
        assertThat(checks.checkOne(new EndpointChecks.Declared("cloud", ReachabilityMode.DIRECT, null, 32379, null)))
                .isEmpty();
    }

    @Test
    void tailnetAddressesAreExpectedInTailscaleMode() {
        assertThat(checks.checkOne(new EndpointChecks.Declared(
                        "homelab", ReachabilityMode.TAILSCALE, "100.72.1.9:2379", null, null)))
                .isEmpty();
    }

    @Test
    void theSameNodePortOnTwoClustersIsReportedOnBoth() {
        Map<String, List<EndpointFinding>> findings = checks.check(List.of(
                declared("homelab", "home.example.net:32379", 32379),
                new EndpointChecks.Declared("garage", ReachabilityMode.DIRECT, null, 32379, null),
                new EndpointChecks.Declared("cloud", ReachabilityMode.DIRECT, null, 31000, null)));

        assertThat(findings.get("homelab")).extracting(EndpointFinding::code).containsExactly("duplicate-node-port");
        assertThat(findings.get("homelab").get(0).message()).contains("32379").contains("garage");
        assertThat(findings.get("garage")).extracting(EndpointFinding::code).containsExactly("duplicate-node-port");
        assertThat(findings.get("cloud")).isEmpty();
    }

    private static EndpointChecks.Declared declared(String cluster, String endpoint, Integer nodePort) {
        return new EndpointChecks.Declared(cluster, ReachabilityMode.PORT_FORWARD, endpoint, nodePort, null);
    }
}
