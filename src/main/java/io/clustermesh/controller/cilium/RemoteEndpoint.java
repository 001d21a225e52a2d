package io.clustermesh.controller.cilium;

import java.util.List;

/**
 * How the local cluster reaches a remote clustermesh-apiserver, in the two forms the chart knows
 * (contract §5.2, §5.4): by IPs behind the {@code <name>.mesh.cilium.io} host alias, or by an
 * address that must itself be in the server certificate's SANs (§5.3).
 */
public sealed interface RemoteEndpoint {

    /** The remote's cluster-name: Secret entry key and etcd client file prefix. */
    String name();

    int port();

    /** The single URL written under {@code endpoints:}. */
    String url();

    /** IPs for hostAliases; empty for the address form. */
    List<String> hostAliasIps();

    /** Helm {@code ips: [...]}: endpoint {@code https://<name>.mesh.cilium.io:<port>} + one hostAlias per IP. */
    record ViaHostAliases(String name, List<String> ips, int port) implements RemoteEndpoint {
        public ViaHostAliases {
            ClusterIdentityRules.validateName(name);
            ips = List.copyOf(ips);
            if (ips.isEmpty()) {
                throw new IllegalArgumentException("at least one IP is needed for " + name);
            }
        }

        @Override
        public String url() {
            return "https://" + meshHostname(name) + ":" + port;
        }

        @Override
        public List<String> hostAliasIps() {
            return ips;
        }
    }

    /** Helm {@code address: ...}: endpoint {@code https://<address>:<port>}, no host alias. */
    record ViaAddress(String name, String address, int port) implements RemoteEndpoint {
        public ViaAddress {
            ClusterIdentityRules.validateName(name);
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("address is empty for " + name);
            }
        }

        @Override
        public String url() {
            // The chart writes the address verbatim; an IPv6 literal needs brackets to be a valid URL.
            boolean ipv6 = address.contains(":") && !address.startsWith("[");
            return "https://" + (ipv6 ? "[" + address + "]" : address) + ":" + port;
        }

        @Override
        public List<String> hostAliasIps() {
            return List.of();
        }
    }

    /** {@code <name>.mesh.cilium.io}, covered by the server cert's {@code *.mesh.cilium.io} SAN (§5.3). */
    static String meshHostname(String name) {
        return name + "." + CiliumNames.MESH_DOMAIN;
    }
}
