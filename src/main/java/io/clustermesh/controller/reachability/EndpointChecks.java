package io.clustermesh.controller.reachability;

import io.clustermesh.controller.problems.ProblemException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks of a declared endpoint that need no connection: its syntax, what its name resolves to,
 * whether the address could be public at all, and NodePorts shared between clusters.
 */
public final class EndpointChecks {
    /** What a cluster declares, and the NodePort of its clustermesh-apiserver Service if it has one. */
    public record Declared(
            String cluster, ReachabilityMode mode, String endpoint, Integer nodePort, String expectedPublicAddress) {}

    private final KvstoreProbe.HostResolver resolver;

    public EndpointChecks(KvstoreProbe.HostResolver resolver) {
        this.resolver = resolver;
    }

    /** Findings for every cluster (cluster name → findings, empty list when fine). */
    public Map<String, List<EndpointFinding>> check(List<Declared> clusters) {
        Map<String, List<EndpointFinding>> findings = new LinkedHashMap<>();
        for (Declared d : clusters) {
            findings.put(d.cluster(), new ArrayList<>(checkOne(d)));
        }
        duplicateNodePorts(clusters)
                .forEach((cluster, finding) -> findings.get(cluster).add(finding));
        return findings;
    }

    List<EndpointFinding> checkOne(Declared d) {
        if (d.mode() == ReachabilityMode.DIRECT && d.endpoint() == null) {
            return List.of();
        }
        if (d.endpoint() == null) {
            if (d.mode() == ReachabilityMode.PORT_FORWARD) {
                return List.of(EndpointFinding.error(
                        "endpoint-missing",
                        d.cluster() + " is reached through a router port-forward but declares no public endpoint",
                        "set mesh.clusters." + d.cluster()
                                + ".reachability.endpoint to the router's public host:port"));
            }
            return List.of();
        }
        HostPort hostPort;
        try {
            hostPort = HostPort.parse(d.endpoint(), "mesh.clusters." + d.cluster() + ".reachability.endpoint");
        } catch (ProblemException e) {
            return List.of(EndpointFinding.error(
                    "invalid-endpoint",
                    e.getMessage(),
                    "write the endpoint as host:port, e.g. home.example.net:32379"));
        }
        if (d.mode() != ReachabilityMode.PORT_FORWARD) {
            return List.of();
        }
        List<EndpointFinding> findings = new ArrayList<>();
        List<InetAddress> addresses;
        try {
            addresses = List.of(resolver.resolve(hostPort.host()));
        } catch (UnknownHostException e) {
            return List.of(EndpointFinding.error(
                    "unresolved",
                    hostPort.host() + " does not resolve",
                    "check the dynamic DNS name of the home router (is the DDNS client still updating it?)"));
        } catch (RuntimeException e) {
            return List.of(EndpointFinding.error(
                    "unresolved",
                    "resolving " + hostPort.host() + " failed: " + e.getMessage(),
                    "check DNS from where the service runs"));
        }
        for (InetAddress address : addresses) {
            notPublic(address)
                    .ifPresent(
                            why -> findings.add(
                                    EndpointFinding.error(
                                            "private-address",
                                            d.endpoint() + " is declared public but " + address.getHostAddress()
                                                    + " is " + why,
                                            why.startsWith("carrier-grade")
                                                    ? "the router itself is behind the provider's NAT (CGNAT): a port-forward cannot work; use Tailscale mode or ask the provider for a public IPv4"
                                                    : "declare the router's public address (what https://ifconfig.me shows from the homelab), not a LAN address")));
        }
        String expected = d.expectedPublicAddress();
        if (expected != null
                && !expected.isBlank()
                && addresses.stream().noneMatch(a -> a.getHostAddress().equals(expected.trim()))) {
            findings.add(EndpointFinding.error(
                    "address-changed",
                    hostPort.host() + " resolves to "
                            + addresses.stream()
                                    .map(InetAddress::getHostAddress)
                                    .collect(Collectors.joining(", ")) + ", not to the router's current public address "
                            + expected.trim(),
                    "the public IP changed: update the DNS record (or its DDNS client) or mesh.reachability.public-addresses."
                            + d.cluster()));
        }
        return findings;
    }

    /** Why the address can never be a public one, if so. */
    static Optional<String> notPublic(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("the unspecified address");
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 100 && second >= 64 && second <= 127) {
                return Optional.of("carrier-grade NAT space (100.64.0.0/10)");
            }
            if (address.isSiteLocalAddress()) {
                return Optional.of("a private (RFC 1918) address");
            }
        }
        if (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc) {
            return Optional.of("a unique local IPv6 address (fc00::/7)");
        }
        return Optional.empty();
    }

    /** Every cluster whose clustermesh-apiserver NodePort another cluster also uses. */
    static Map<String, EndpointFinding> duplicateNodePorts(List<Declared> clusters) {
        Map<Integer, List<String>> byPort = new TreeMap<>();
        for (Declared d : clusters) {
            if (d.nodePort() != null) {
                byPort.computeIfAbsent(d.nodePort(), p -> new ArrayList<>()).add(d.cluster());
            }
        }
        Map<String, EndpointFinding> findings = new LinkedHashMap<>();
        byPort.forEach((port, names) -> {
            if (names.size() < 2) {
                return;
            }
            for (String name : names) {
                List<String> others = new ArrayList<>(names);
                others.remove(name);
                findings.put(
                        name,
                        EndpointFinding.warning(
                                "duplicate-node-port",
                                "NodePort " + port + " is also used by " + String.join(", ", others),
                                "give each cluster its own nodePort (PUT /api/v1/clusters/" + name
                                        + "/clustermesh with \"nodePort\"): one router can forward a port to one cluster only"));
            }
        });
        return findings;
    }
}
