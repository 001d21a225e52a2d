package io.clustermesh.controller.cilium;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * What kind of path a node IP needs from another cluster (contract dataplane.md §4.4, §7.2):
 * Cilium dials each node's InternalIP, so a private one is only reachable where something routes
 * it (a VPN, an approved Tailscale subnet route), a tailnet one only from tailnet members.
 */
public enum NodeAddressClass {
    PUBLIC,
    TAILNET,
    PRIVATE,
    UNKNOWN;

    private static final List<Ipv4Cidr> PRIVATE_RANGES = List.of(
            Ipv4Cidr.parseOrNull("10.0.0.0/8"),
            Ipv4Cidr.parseOrNull("172.16.0.0/12"),
            Ipv4Cidr.parseOrNull("192.168.0.0/16"));
    /** Tailscale's CGNAT range for tailnet addresses. */
    private static final Ipv4Cidr TAILNET_RANGE = Ipv4Cidr.parseOrNull("100.64.0.0/10");

    public static NodeAddressClass of(String ip) {
        Ipv4Cidr address = ip == null ? null : Ipv4Cidr.parseOrNull(ip + "/32");
        if (address == null) {
            return UNKNOWN;
        }
        if (TAILNET_RANGE.overlaps(address)) {
            return TAILNET;
        }
        return PRIVATE_RANGES.stream().anyMatch(r -> r.overlaps(address)) ? PRIVATE : PUBLIC;
    }

    /** Whether {@code ip} lies inside {@code cidr}; false for anything unparsable. */
    public static boolean contains(String cidr, String ip) {
        Ipv4Cidr range = cidr == null ? null : Ipv4Cidr.parseOrNull(cidr);
        Ipv4Cidr address = ip == null ? null : Ipv4Cidr.parseOrNull(ip + "/32");
        return range != null && address != null && range.prefixLength() <= 32 && range.overlaps(address);
    }

    /** The /24 networks holding these addresses, for a remediation a user can paste ("192.168.1.0/24"). */
    public static List<String> networks24(Collection<String> ips) {
        TreeSet<String> networks = new TreeSet<>();
        for (String ip : ips) {
            int last = ip == null ? -1 : ip.lastIndexOf('.');
            if (last > 0 && Ipv4Cidr.parseOrNull(ip + "/32") != null) {
                networks.add(ip.substring(0, last) + ".0/24");
            }
        }
        return List.copyOf(networks);
    }
}
